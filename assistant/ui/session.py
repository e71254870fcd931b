"""What every page builder receives: the services, access rules, and the per-session state they share.

Each browser session has its own copies of the gr.State values (language, selected
incident, a change counter), so twenty officers never see each other's selection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import gradio as gr

from assistant.errors import AssistantError
from assistant.services import Services
from assistant.ui.auth import Access
from assistant.ui.i18n import Localiser


@dataclass
class Workspace:
    app: gr.Blocks
    services: Services
    access: Access
    localiser: Localiser
    lang: gr.State  # "zh" | "en"
    incident: gr.State  # the selected incident id ("" when none)
    changed: gr.State  # bumped after a status change or a draft, so other pages refresh
    tabs: gr.Tabs


@contextmanager
def user_errors() -> Iterator[None]:
    """Our errors become a gr.Error the officer can read; anything else is a bug and propagates."""
    try:
        yield
    except AssistantError as err:
        raise gr.Error(str(err)) from err
