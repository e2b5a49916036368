import streamlit as st

st.title("Feedback")
st.info("Coming soon: build a short, specific feedback request to an employer, track whether they "
        "answered, and turn what they said into action items.", icon="🚧")
