import streamlit as st

st.title("Check-in")
st.info("Coming soon: a mood check-in with named emotions, a coping and self-care log, "
        "and gentle suggestions drawn from what has helped you before.", icon="🚧")
