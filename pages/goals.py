import streamlit as st

st.title("Goals & wins")
st.info("Coming soon: weekly goals, an activity and networking log, contacts, small wins, "
        "and a weekly momentum score.", icon="🚧")
