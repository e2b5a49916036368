import streamlit as st

st.title("Data")
st.info("Coming soon: import from LinkedIn and other trackers, export to open formats, "
        "backup and restore, and delete all your data.", icon="🚧")
