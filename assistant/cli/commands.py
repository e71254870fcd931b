"""The sub-command groups of ``assistant``; add a group's module name to GROUPS.

Each group is a module of this package with ``register(sub)``. Groups are imported
when the parser is built (not at import time), so a group may import
``settings_from_args`` from here without a cycle.
"""

from __future__ import annotations

import argparse
import importlib

from assistant.settings import Settings, load_settings

GROUPS: tuple[str, ...] = ("kb", "alerts", "drafting", "evaluation", "users", "tasks", "handover", "reports")


def register_all(sub: argparse._SubParsersAction) -> None:
    for name in GROUPS:
        importlib.import_module(f"assistant.cli.{name}").register(sub)


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings for one CLI run, honouring --settings and --profile."""
    return load_settings(path=args.settings, profile=args.profile)
