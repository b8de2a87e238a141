"""Views of the Streamlit workspace (not named pages/: Streamlit would treat that as pages)."""
