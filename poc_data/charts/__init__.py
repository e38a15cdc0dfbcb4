"""Pure figure builders: each takes a DataFrame first, keyword options after, and returns a plotly Figure."""
