"""The baseline of the benchmarks: a bare Streamlit page with three plotly charts and a table, no data loading."""

import numpy as np
import pandas as pd
import plotly.express as px
import streamlit as st

rows = np.random.default_rng(0)
frame = pd.DataFrame(
    {
        "year": np.repeat(np.arange(1994, 2022), 6)[:150],
        "organization": np.tile(["UN", "EU", "NATO"], 50),
        "value": rows.integers(0, 100, 150),
    }
)
st.title("Bare page")
st.plotly_chart(px.scatter(frame, x="year", y="value", color="organization"), key="scatter")
st.plotly_chart(
    px.bar(
        frame.groupby(["year", "organization"], as_index=False)["value"].sum(),
        x="year",
        y="value",
        color="organization",
    ),
    key="bar",
)
st.plotly_chart(px.line(frame.groupby("year", as_index=False)["value"].mean(), x="year", y="value"), key="line")
st.dataframe(frame, hide_index=True)
