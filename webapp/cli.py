"""The app's command line: ``python -m webapp admin create NAME`` creates an account (an
admin unless ``--role`` says otherwise) in the database of the settings (``DATABASE_URL``),
whatever ``PSS_REGISTRATION`` allows — the way to the first admin of a shared deployment.

The password is prompted for twice on a terminal; with ``--password-stdin`` (or when
standard input is not a terminal) it is the first line of standard input, so it never
appears in the process list or the shell history. The app's password rules apply. Exit
codes: 0 created, 2 refused (every problem on standard error).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from typing import TextIO

from webapp import auth
from webapp.db.engine import get_engine, init_db
from webapp.settings import SettingsError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m webapp", description="Production Scheduling Studio administration")
    groups = parser.add_subparsers(dest="group", required=True)
    admin = groups.add_parser("admin", help="accounts").add_subparsers(dest="command", required=True)
    create = admin.add_parser("create", help="create an account (default: an admin)")
    create.add_argument("username")
    create.add_argument("--email", default="")
    create.add_argument("--name", default="")
    create.add_argument("--role", default="admin", choices=auth.ROLES)
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    return parser


def read_password(stdin: TextIO, *, from_stdin: bool) -> str:
    """The new password: the first line of ``stdin`` (``from_stdin`` or not a terminal),
    else prompted for twice. Raises ``ValueError`` when the two entries differ or none
    is given."""
    if from_stdin or not stdin.isatty():
        password = stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise ValueError("the two passwords differ")
    if not password:
        raise ValueError("no password given")
    return password


def main(argv: Sequence[str] | None = None, *, stdin: TextIO | None = None, db=None) -> int:
    """Run the command line; returns the exit code (``db``: the database to use, default
    the settings')."""
    args = _parser().parse_args(argv)
    stdin = stdin or sys.stdin
    try:
        password = read_password(stdin, from_stdin=args.password_stdin)
        if db is None:
            db = get_engine()
            init_db(db)
        user = auth.create_account(db, username=args.username, password=password, email=args.email,
                                   name=args.name, role=args.role)
    except auth.RegistrationError as exc:
        for problem in exc.problems:
            print(f"refused: {problem}", file=sys.stderr)
        return 2
    except (ValueError, SettingsError) as exc:  # SettingsError is a ValueError too
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    print(f"created {user.role} '{user.username}'")
    return 0
