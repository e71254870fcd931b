"""External tools some tests drive (Chromium, the Chroma server, LibreOffice), and what to do without them.

On a developer's machine a missing tool skips its tests with the install hint. In CI
(`ASSISTANT_REQUIRE_TOOLS=1`, set by `.ci/run`) a missing tool fails the test instead:
a broken install step must not turn into a green run of fewer tests.
"""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest

REQUIRE_TOOLS = os.environ.get("ASSISTANT_REQUIRE_TOOLS", "") == "1"


def need(available: bool, what: str) -> None:
    """Skip (locally) or fail (CI) the calling test when ``available`` is false; ``what`` says how to install."""
    if available:
        return
    if REQUIRE_TOOLS:
        pytest.fail(f"缺少必需工具 / required tool missing (ASSISTANT_REQUIRE_TOOLS=1): {what}", pytrace=False)
    pytest.skip(what)


def need_module(name: str, what: str) -> None:
    need(importlib.util.find_spec(name.split(".")[0]) is not None, what)


def need_program(*names: str, what: str) -> None:
    need(all(shutil.which(n) for n in names), what)
