"""`caseworker`: the desktop app with no command, the command line with one."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from caseworker.buildinfo import build_info
from caseworker.logs import install_logging
from caseworker.paths import resolve_data_dir

# Which module of caseworker.cli registers each command. Only the module of the command being
# run is imported, so `caseworker find` does not pay for PDFs, HTTP, spreadsheets or Alembic
# (tests/cli/test_cli_start.py checks this table against what the modules register).
COMMAND_MODULES = {
    "setup": "admin",
    "operator": "admin",
    "idle-lock": "admin",
    "db": "admin",
    "audit": "admin",
    "demo": "admin",
    "find": "registry",
    "show": "registry",
    "print": "printing",
    "report": "report",
    "payment": "payment",
    "sync": "sync",
    "settings": "settings",
    "trip": "trips",
    "household": "households",
    "worklist": "worklist",
    "import": "imports",
    "export": "export",
    "card": "card",
    "employer": "employers",
}
_HELP = frozenset({"-h", "--help"})


def _command_in(argv: Sequence[str]) -> str | None:
    """The command word: the first argument that is neither an option nor --data-dir's value."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--data-dir":
            next(tokens, None)
        elif not token.startswith("-"):
            return token
    return None


def _modules_for(argv: Sequence[str] | None) -> list[str]:
    """The command's own module; every module for help, a mistyped command, or no argv."""
    everything = list(dict.fromkeys(COMMAND_MODULES.values()))
    if argv is None:
        return everything
    command = _command_in(argv)
    if command is None:  # the desktop app, or --version: no command to register
        return everything if _HELP & set(argv) else []
    module = COMMAND_MODULES.get(command)
    return [module] if module else everything


class _Version(argparse.Action):
    """The version line as written (argparse's own action rewraps it to the terminal)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(build_info().version_line())
        parser.exit()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv`` (every command when ``argv`` is None)."""
    parser = argparse.ArgumentParser(
        prog="caseworker",
        description="乡镇社会保障服务中心参保登记系统 / Caseworker for township service centres. "
        "Run with no command to open the desktop app.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and build")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="check this installation (a temporary encrypted database, migrations, every "
        "printed document, Qt offscreen, fonts) and exit; touches no data folder",
    )
    parser.add_argument(
        "--data-dir", help="data folder (default: $CASEWORKER_HOME or the user data folder)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _modules_for(argv):
        importlib.import_module(f"caseworker.cli.{module}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    if args.selftest:
        from caseworker.selftest import run_selftest

        return run_selftest()
    if args.command is None:
        from caseworker.app import run_gui  # Qt is imported only when the window is wanted

        return run_gui(args.data_dir)
    from caseworker.cli.common import run_guarded  # the store's modules: not for the GUI

    # The log file is made only if something is logged: a mistyped folder stays untouched.
    install_logging(resolve_data_dir(args.data_dir).logs, "cli")
    return run_guarded(
        lambda: args.handler(args),
        getattr(args, "data_dir", None),
        as_json=getattr(args, "json", False),
    )


if __name__ == "__main__":
    sys.exit(main())
