"""What people touch: the command line, the Streamlit app and its views, and the
renderers of answers and reports. Nothing below imports from here."""
