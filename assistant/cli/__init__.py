"""The ``assistant`` command. Each sub-module registers one group of sub-commands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from assistant.errors import AssistantError


def build_parser() -> argparse.ArgumentParser:
    from assistant.cli import commands

    parser = argparse.ArgumentParser(
        prog="assistant", description="应急决策辅助助手 / Emergency decision-support assistant"
    )
    parser.add_argument("--settings", help="settings.yaml to use (default: ./settings.yaml or $ASSISTANT_SETTINGS)")
    parser.add_argument("--profile", help="settings profile overlay, e.g. 'test' reads settings-test.yaml")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.register_all(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a sub-command; our own errors become one readable line and exit code 2."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AssistantError as err:
        if os.environ.get("ASSISTANT_RAISE_ERRORS"):
            raise
        print(f"错误 / error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return 130
