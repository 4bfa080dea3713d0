"""What the county's administrator asks of ``caseworker-upstream stats``: per township, per
centre and per device, how many records came in and how many were rejected or came back as
conflicts, when each device last synced, and which have been silent for more than N days.

Counted from the batches' stored answers (``batch.counts``, a JSON object of record status →
number), summed in the database on SQLite and PostgreSQL alike. A device's last sync is its
last batch or signed read (``device.last_seen_at``); one never seen counts from its
registration. No person is named: only codes, numbers and counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, literal, select

from caseworker.upstream.db import UpstreamDb
from caseworker.upstream.intake import ACCEPTED
from caseworker.upstream.models import Batch, Centre, Device

DEFAULT_SILENT_DAYS = 7


@dataclass
class Counts:
    batches: int = 0
    records_in: int = 0
    accepted: int = 0
    rejected: int = 0
    conflicts: int = 0

    def add(self, other: Counts) -> None:
        for name in ("batches", "records_in", "accepted", "rejected", "conflicts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class DeviceActivity(Counts):
    device_id: str = ""
    centre_code: str = ""
    device_number: int = 0
    name: str = ""
    last_sync: datetime | None = None
    silent_days: int = 0
    silent: bool = False


@dataclass
class CentreActivity(Counts):
    centre_code: str = ""
    name: str = ""
    township_code: str | None = None
    devices: int = 0
    silent_devices: int = 0
    last_sync: datetime | None = None


@dataclass
class TownshipActivity(Counts):
    township_code: str | None = None
    centres: int = 0
    devices: int = 0
    silent_devices: int = 0
    last_sync: datetime | None = None


@dataclass
class Activity:
    silent_after_days: int
    townships: list[TownshipActivity] = field(default_factory=list)
    centres: list[CentreActivity] = field(default_factory=list)
    devices: list[DeviceActivity] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "silent_after_days": self.silent_after_days,
            "by_township": [asdict(t) for t in self.townships],
            "by_centre": [asdict(c) for c in self.centres],
            "by_device": [asdict(d) for d in self.devices],
            "silent_devices": [d.device_id for d in self.devices if d.silent],
        }


def _status(name: str) -> Any:
    return func.coalesce(func.sum(Batch.counts[name].as_integer()), 0)


def _per_device(db: UpstreamDb) -> dict[Any, Counts]:
    with db.reading() as session:
        rows = session.execute(
            select(
                Batch.device_id,
                func.count(),
                func.coalesce(func.sum(Batch.record_count), 0),
                sum((_status(status) for status in ACCEPTED), start=literal(0)),
                _status("rejected"),
                _status("conflict"),
            ).group_by(Batch.device_id)
        ).all()
    return {row[0]: Counts(*(int(v) for v in row[1:])) for row in rows}


def _latest(stamps: Iterable[datetime | None]) -> datetime | None:
    return max((s for s in stamps if s is not None), default=None)


def activity(
    db: UpstreamDb, silent_days: int = DEFAULT_SILENT_DAYS, now: datetime | None = None
) -> Activity:
    now = now or datetime.now(UTC)
    counts = _per_device(db)
    with db.reading() as session:
        centres = session.scalars(select(Centre).order_by(Centre.code)).all()
        devices = session.scalars(
            select(Device).order_by(Device.centre_code, Device.device_number)
        ).all()
    report = Activity(silent_days)
    for device in devices:
        since = device.last_seen_at or device.registered_at
        quiet = now - since
        row = DeviceActivity(
            device_id=str(device.id),
            centre_code=device.centre_code,
            device_number=device.device_number,
            name=device.name,
            last_sync=device.last_seen_at,
            silent_days=max(0, quiet.days),
            # A revoked device is meant to be silent: not a centre to chase.
            silent=quiet > timedelta(days=silent_days) and device.revoked_at is None,
        )
        row.add(counts.get(device.id, Counts()))
        report.devices.append(row)
    towns: dict[str | None, TownshipActivity] = {}
    for centre in centres:
        own = [d for d in report.devices if d.centre_code == centre.code]
        row = CentreActivity(
            centre_code=centre.code,
            name=centre.name,
            township_code=centre.township_code,
            devices=len(own),
            silent_devices=sum(d.silent for d in own),
            last_sync=_latest(d.last_sync for d in own),
        )
        for device in own:
            row.add(device)
        report.centres.append(row)
        town = towns.setdefault(
            centre.township_code, TownshipActivity(township_code=centre.township_code)
        )
        town.add(row)
        town.centres += 1
        town.devices += row.devices
        town.silent_devices += row.silent_devices
        town.last_sync = _latest((town.last_sync, row.last_sync))
    report.townships = sorted(towns.values(), key=lambda t: t.township_code or "")
    return report


def _when(stamp: datetime | None) -> str:
    return f"{stamp:%Y-%m-%d %H:%M}" if stamp else "-"


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    """Columns padded to their widest cell; numbers (ints) line up on the right."""
    cells = [headers, *rows]
    widths = [max(_width(str(row[i])) for row in cells) for i in range(len(headers))]
    return [
        "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]


def _width(text: str) -> int:
    """Columns on a terminal: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(cell: Any, width: int) -> str:
    text = str(cell)
    room = " " * (width - _width(text))
    return room + text if isinstance(cell, int) else text + room


def render(report: Activity) -> str:
    """The readable tables: townships, centres, then devices (the silent ones marked)."""
    counted = ["batches", "records in", "accepted", "rejected", "conflicts"]

    def numbers(row: Counts) -> list[int]:
        return [row.batches, row.records_in, row.accepted, row.rejected, row.conflicts]

    lines = ["乡镇 / by township"]
    lines += _table(
        ["township", "centres", "devices", "silent", *counted, "last sync (UTC)"],
        [
            [
                t.township_code or "-",
                t.centres,
                t.devices,
                t.silent_devices,
                *numbers(t),
                _when(t.last_sync),
            ]
            for t in report.townships
        ],
    )
    lines += ["", "服务中心 / by centre"]
    lines += _table(
        ["centre", "name", "township", "devices", "silent", *counted, "last sync (UTC)"],
        [
            [
                c.centre_code,
                c.name,
                c.township_code or "-",
                c.devices,
                c.silent_devices,
                *numbers(c),
                _when(c.last_sync),
            ]
            for c in report.centres
        ],
    )
    lines += ["", "设备 / by device"]
    lines += _table(
        ["centre", "#", "device", *counted, "last sync (UTC)", "silent"],
        [
            [
                d.centre_code,
                f"{d.device_number:02d}",
                d.device_id,
                *numbers(d),
                _when(d.last_sync),
                f"{d.silent_days} d" + (" !" if d.silent else ""),
            ]
            for d in report.devices
        ],
    )
    silent = [d for d in report.devices if d.silent]
    lines += [
        "",
        f"超过 {report.silent_after_days} 天未同步的设备 / devices silent for more than "
        f"{report.silent_after_days} days: {len(silent)}",
    ]
    lines += [f"  {d.centre_code} #{d.device_number:02d} {d.device_id}" for d in silent]
    return "\n".join(lines)
