"""The migration revisions, read without Alembic.

Opening the store (every login) only needs to know which revisions exist, which is the head,
and which one the file is at. Importing Alembic for that costs about a tenth of a second
(it pulls in mako and pygments) on a launch budget of 0.7 s, so the revision ids are read
from the migration scripts' ``revision = "…"`` / ``down_revision = "…"`` lines and the
file's from its ``alembic_version`` table (the county's store, SQLite or PostgreSQL, too). Alembic is still what runs a migration; a test
checks that this reading agrees with Alembic's own.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*=\s*(None|['\"]([^'\"]+)['\"])", re.M)


@cache
def revision_graph(versions_dir: Path = VERSIONS_DIR) -> dict[str, str | None]:
    """Each revision → the revision it revises (None for the first)."""
    graph: dict[str, str | None] = {}
    for script in sorted(versions_dir.glob("*.py")):
        found = {name: value for name, _, value in _ASSIGNMENT.findall(script.read_text("utf-8"))}
        if "revision" in found:
            graph[found["revision"]] = found.get("down_revision") or None
    return graph


def known_revisions() -> set[str]:
    return set(revision_graph())


def head_revision(versions_dir: Path = VERSIONS_DIR) -> str:
    """The one revision nothing revises (the scripts form a single line of history)."""
    graph = revision_graph(versions_dir)
    heads = set(graph) - {down for down in graph.values() if down}
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have one head, found {sorted(heads)}")
    return heads.pop()


def current_revision(connection: Connection) -> str | None:
    """The revision the open file is at (None for a file Alembic never touched)."""
    from sqlalchemy import inspect, text

    # Asked first, not caught: on PostgreSQL (the county's store) a failed statement would
    # abort the caller's transaction.
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def sqlite_revision(connection: Any) -> str | None:
    """``current_revision`` on an SQLite DB-API connection (the file before it is opened for
    work, and the command line's quick look-up, which runs without SQLAlchemy)."""
    if not connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone():
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def newer_schema_error(current: str | None) -> Exception | None:
    """The refusal of a file a newer version of the program wrote, or None."""
    from caseworker import __version__
    from caseworker.store.connect import StoreOpenError

    if current is None or current in known_revisions():
        return None
    return StoreOpenError(
        "newer_schema",
        f"这个数据库由更新版本的程序写入（数据库结构 {current}，本程序 {__version__} 只认识到 "
        f"{head_revision()}）。本程序不会打开或改动它：请安装新版本后再打开，"
        "数据文件夹里的文件都未改动。",
        f"This database was written by a newer version of Caseworker (schema {current}; this "
        f"app, version {__version__}, knows up to {head_revision()}). It was not opened and no "
        "file was changed: install the newer version to open it.",
    )
