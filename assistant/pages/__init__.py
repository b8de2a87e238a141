"""Pages of the Streamlit workspace."""
