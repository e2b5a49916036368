import streamlit as st

st.title("Progress")
st.info("Coming soon: charts of your weekly momentum, your funnel, channels, mood and how fast "
        "you bounce back, each explained in plain words.", icon="🚧")
