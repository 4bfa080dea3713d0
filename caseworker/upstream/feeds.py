"""Change feeds with cursors: reference data for everyone, the registry per township."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from caseworker.domain.wire import SHAPES
from caseworker.sync.protocol import (
    REGISTRY_OPT_IN,
    ReferenceFeed,
    ReferenceItem,
    RegistryFeed,
    RegistryItem,
)
from caseworker.upstream.db import UpstreamDb
from caseworker.upstream.intake import Refused, append_feed
from caseworker.upstream.models import ReferenceItem as ReferenceRow
from caseworker.upstream.models import RegistryChange

REFERENCE_KINDS = ("codes", "regions", "schemes")


def _items_of(path: Path) -> list[dict[str, Any]]:
    """A reference file: {"kind", "name", "version", "payload"} or a list of those."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Refused(404, "missing_file", f"找不到文件 {path}。", f"No file {path}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise Refused(
            400,
            "bad_reference_file",
            f"{path} 不是有效的JSON：{error}",
            f"{path} is not valid JSON: {error}",
        ) from None
    items = data if isinstance(data, list) else [data]
    for n, item in enumerate(items):
        problems = [
            name
            for name, kind in (("kind", str), ("name", str), ("version", str), ("payload", dict))
            if not isinstance(item, dict) or not isinstance(item.get(name), kind)
        ]
        if problems or item["kind"] not in REFERENCE_KINDS:
            raise Refused(
                400,
                "bad_reference_file",
                f"{path} 第{n + 1}项缺少或错误：{', '.join(problems) or 'kind'}（kind 须为 {'/'.join(REFERENCE_KINDS)}）",
                f"{path} item {n + 1}: missing or wrong {', '.join(problems) or 'kind'} "
                f"(kind is one of {'/'.join(REFERENCE_KINDS)})",
            )
    return items


def load_reference(db: UpstreamDb, paths: list[Path]) -> int:
    """Append every new (kind, name, version) to the reference feed; returns how many."""
    items = [item for path in paths for item in _items_of(path)]
    with db.writing() as session:
        conn = session.connection()
        known = set(
            conn.execute(select(ReferenceRow.kind, ReferenceRow.name, ReferenceRow.version))
        )
        fresh = [i for i in items if (i["kind"], i["name"], i["version"]) not in known]
        if fresh:
            first = append_feed(conn, "reference", len(fresh))
            conn.execute(
                insert(ReferenceRow.__table__),
                [
                    {
                        "seq": first + n + 1,
                        **{k: i[k] for k in ("kind", "name", "version", "payload")},
                    }
                    for n, i in enumerate(fresh)
                ],
            )
    return len(fresh)


def reference_feed(db: UpstreamDb, since: int, limit: int) -> ReferenceFeed:
    with db.reading() as session:
        rows = session.scalars(
            select(ReferenceRow)
            .where(ReferenceRow.seq > since)
            .order_by(ReferenceRow.seq)
            .limit(limit + 1)
        ).all()
    page = rows[:limit]
    return ReferenceFeed(
        items=[
            ReferenceItem(seq=r.seq, kind=r.kind, name=r.name, version=r.version, payload=r.payload)
            for r in page
        ],
        cursor=page[-1].seq if page else since,
        more=len(rows) > limit,
    )


def parse_include(include: str | None) -> frozenset[str]:
    """The opt-in item types a client asked for (the route checked the pattern)."""
    return frozenset(part for part in (include or "").split(",") if part in REGISTRY_OPT_IN)


def registry_feed(
    db: UpstreamDb,
    township: str | None,
    reader_centre: str,
    since: int,
    limit: int,
    include: frozenset[str] = frozenset(),
) -> RegistryFeed:
    """A page of the township's registry changes after ``since``, as ``reader_centre`` may
    read them: opt-in types only if asked for (the cursor moves past the others all the
    same: no stall, no gap), and another centre's record without its owner-only fields."""
    with db.reading() as session:
        rows = session.scalars(
            select(RegistryChange)
            .where(RegistryChange.township_code == township, RegistryChange.seq > since)
            .order_by(RegistryChange.seq)
            .limit(limit + 1)
        ).all()
    page = rows[:limit]
    return RegistryFeed(
        township_code=township,
        items=[
            RegistryItem(
                seq=r.seq,
                entity_type=r.entity_type,  # type: ignore[arg-type]
                entity_id=r.entity_id,
                version=r.version,
                centre_code=r.centre_code,
                payload=SHAPES[r.entity_type].disclosed(
                    r.payload, to_owner=r.centre_code == reader_centre
                ),
            )
            for r in page
            if r.entity_type not in REGISTRY_OPT_IN or r.entity_type in include
        ],
        cursor=page[-1].seq if page else since,
        more=len(rows) > limit,
    )
