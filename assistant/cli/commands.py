"""The list of sub-command groups; add a group's ``register`` here."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from assistant.settings import Settings, load_settings

Registrar = Callable[[argparse._SubParsersAction], None]

REGISTRARS: list[Registrar] = []


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings for one CLI run, honouring --settings and --profile."""
    return load_settings(path=args.settings, profile=args.profile)


def _register_kb(sub: argparse._SubParsersAction) -> None:
    from assistant.cli import kb  # imported late: kb imports settings_from_args from here

    kb.register(sub)


REGISTRARS.append(_register_kb)


def _register_alerts(sub: argparse._SubParsersAction) -> None:
    from assistant.cli import alerts  # imported late: alerts imports settings_from_args from here

    alerts.register(sub)


REGISTRARS.append(_register_alerts)
