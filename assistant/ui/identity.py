"""The officer behind a request: the logged-in user, or a generic name on anonymous local use."""

from __future__ import annotations

import gradio as gr

ANONYMOUS = "值班员"


def officer_name(request: gr.Request | None) -> str:
    return (getattr(request, "username", None) or ANONYMOUS) if request is not None else ANONYMOUS
