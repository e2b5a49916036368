import streamlit as st

st.title("Reflect")
st.info("Coming soon: guided reflections after a rejection or an interview, a weekly review, "
        "a free journal, and a searchable history of everything you wrote.", icon="🚧")
