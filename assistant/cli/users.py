"""``assistant users add NAME --role officer|admin``: create the users file the workspace logs in against."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from assistant.cli.commands import settings_from_args
from assistant.errors import SettingsError
from assistant.ui.users import ROLES, add_user


def register(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="管理工作台用户 / manage workspace users")
    actions = users.add_subparsers(dest="users_action", required=True)
    add = actions.add_parser("add", help="新增或重置用户 / add a user or reset their password")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="officer")
    add.add_argument("--file", type=Path, help="用户文件 / users file (default: settings ui.users_file)")
    add.set_defaults(func=run_add)


def run_add(args: argparse.Namespace) -> int:
    path = args.file or Path(settings_from_args(args).ui.users_file or "")
    if not str(path) or str(path) == ".":
        raise SettingsError("请用 --file 或 ui.users_file 指定用户文件 / give --file or set ui.users_file")
    # ASSISTANT_NEW_PASSWORD lets scripts create users; people are asked interactively.
    password = os.environ.get("ASSISTANT_NEW_PASSWORD") or getpass.getpass("密码 / password: ")
    add_user(path, args.name, password, args.role)
    print(f"已保存用户 {args.name}（{args.role}）→ {path} / saved", file=sys.stderr)
    return 0
