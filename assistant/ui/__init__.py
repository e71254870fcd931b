"""The Gradio workspace for duty officers and the ASGI app that also serves the alert API."""
