"""PoC Explorer: the home page and entrypoint (`streamlit run app.py`)."""

import streamlit as st

import poc_data

st.set_page_config(page_title="PoC Explorer", layout="wide")
st.title("PoC Explorer")
st.write("Data on the Protection of Civilians in armed conflict and the operations mandated to protect them.")
problems = poc_data.check()
st.write(f"Datasets: {', '.join(poc_data.DATASETS)}; problems found: {len(problems)}")
