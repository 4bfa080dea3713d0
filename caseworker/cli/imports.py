"""`caseworker import …`: files from outside the centre, read into the registry."""

from __future__ import annotations

from typing import Any

from caseworker.cli.roster import register_roster
from caseworker.cli.special_groups import register_special_groups


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "import", help="import a village roster or a civil affairs list (.xlsx or .csv)"
    )
    lists = parser.add_subparsers(dest="import_command", metavar="LIST", required=True)
    for kind in KINDS:
        kind(lists)


# Each kind of list registers its subcommand: ``register_…(lists)``.
KINDS: list[Any] = [register_roster, register_special_groups]
