"""`caseworker`: the desktop app with no command, the command line with one."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from caseworker import __version__
from caseworker.cli import (
    admin,
    employers,
    export,
    households,
    imports,
    payment,
    printing,
    registry,
    report,
    settings,
    sync,
    trips,
    worklist,
)
from caseworker.cli.common import run_guarded
from caseworker.logs import install_logging
from caseworker.paths import resolve_data_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caseworker",
        description="乡镇社会保障服务中心参保登记系统 / Caseworker for township service centres. "
        "Run with no command to open the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"caseworker {__version__}")
    parser.add_argument(
        "--data-dir", help="data folder (default: $CASEWORKER_HOME or the user data folder)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    admin.register(commands)
    registry.register(commands)
    printing.register(commands)
    report.register(commands)
    payment.register(commands)
    sync.register(commands)
    settings.register(commands)
    trips.register(commands)
    households.register(commands)
    employers.register(commands)
    worklist.register(commands)
    imports.register(commands)
    export.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from caseworker.app import run_gui  # Qt is imported only when the window is wanted

        return run_gui(args.data_dir)
    # The log file is made only if something is logged: a mistyped folder stays untouched.
    install_logging(resolve_data_dir(args.data_dir).logs, "cli")
    return run_guarded(lambda: args.handler(args), getattr(args, "data_dir", None))


if __name__ == "__main__":
    sys.exit(main())
