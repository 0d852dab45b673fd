"""Command line entry: ``python -m scheduler_core {fill,shop} ...``.

Each problem registers its own sub-commands (``scheduler_core.filling.cli`` and
``scheduler_core.shop.cli`` expose ``register(subparsers)``). Input errors exit with code 2
and print one line per problem on stderr, nothing on stdout.
"""

from __future__ import annotations

import argparse
import sys

from scheduler_core.errors import InputError

EXIT_INPUT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one sub-command per problem (``fill``, ``shop``)."""
    from scheduler_core.filling import cli as filling_cli
    from scheduler_core.shop import cli as shop_cli

    parser = argparse.ArgumentParser(
        prog="python -m scheduler_core", description="Production Scheduling Studio CLI"
    )
    problems = parser.add_subparsers(dest="problem", required=True)
    filling_cli.register(problems)
    shop_cli.register(problems)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv``); returns the exit code:
    0 done, 2 bad input (one line per problem on stderr, nothing on stdout).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except InputError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return EXIT_INPUT_ERROR
    except (OSError, UnicodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
