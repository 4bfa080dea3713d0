"""Prometheus metrics of the county server, served at ``/metrics``.

What is counted: requests by route template, method and status, and their latency; batch
uploads by HTTP status and refusal code, and their latency (the intake latency); batches
applied (not replays) by way in and their records by status (one call in
``intake.receive_batch``); feed lag, the changes a device still had to pull after the page it
was served; and, read from the database at each scrape, the head of each feed.

No label ever carries a value from a request: a route is its template
(``/v1/batches/{batch_id}``, an unknown path ``unmatched``), a status a number, a code one of
our refusal codes, a record status one of the protocol's. So no ID number, name or device id
can reach a label, whatever a client sends (tests/upstream/test_metrics.py checks it).

Several workers (``serve --workers N``): each process writes its samples to files in
``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's multi-process mode; ``serve`` sets a fresh
private folder when none is given) and whichever worker answers a scrape adds them all up.
The variable must be set before this module is first imported in a worker, which is why the
supervisor sets it before it starts any. Only counters and histograms live in the processes;
the one gauge (feed head) is read from the database, so a worker's death loses nothing.

Who may read it: see ``allowed_reader`` (loopback or ``--metrics-from`` networks, never
through the reverse proxy) and docs/operations.md.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, get_args

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from caseworker.sync.protocol import RecordStatus

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METRICS_FROM_ENV = "CASEWORKER_UPSTREAM_METRICS_FROM"
DEFAULT_METRICS_FROM = "127.0.0.1/32,::1/128"
CONTENT_TYPE = CONTENT_TYPE_LATEST
UNMATCHED = "unmatched"
# A lag past this is "far behind"; counting further would make one scrape-worthy number cost
# a long index scan.
LAG_CAP = 10_000

_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
_CHANGES = (0, 1, 10, 100, 500, 1_000, 5_000, LAG_CAP)

REQUESTS = Counter("caseworker_requests", "HTTP requests answered", ("route", "method", "status"))
REQUEST_SECONDS = Histogram(
    "caseworker_request_seconds", "time to answer a request", ("route",), buckets=_SECONDS
)
BATCH_UPLOADS = Counter(
    "caseworker_batch_uploads",
    "batch uploads (PUT /v1/batches/{id}) by answer; a replay is answered 200 too",
    ("status", "code"),
)
INTAKE_SECONDS = Histogram(
    "caseworker_intake_seconds",
    "time from a batch upload's first byte to its answer",
    ("status",),
    buckets=_SECONDS,
)
BATCHES_APPLIED = Counter(
    "caseworker_batches_applied", "batches applied the first time (replays not counted)", ("via",)
)
RECORDS = Counter(
    "caseworker_records", "records of applied batches, by the answer each got", ("status",)
)
FEED_LAG = Histogram(
    "caseworker_feed_lag_changes",
    f"changes of the reader's township still after the page served (0 when caught up; "
    f"capped at {LAG_CAP})",
    ("feed",),
    buckets=_CHANGES,
)
VIA = ("http", "file")
RECORD_STATUSES: tuple[str, ...] = get_args(RecordStatus)


def batch_applied(via: str, counts: dict[str, int]) -> None:
    """A batch was applied (committed) for the first time: ``counts`` by record status."""
    BATCHES_APPLIED.labels(via if via in VIA else "other").inc()
    for status, count in counts.items():
        RECORDS.labels(status if status in RECORD_STATUSES else "other").inc(count)


def request_answered(route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route, method, str(status)).inc()
    REQUEST_SECONDS.labels(route).observe(seconds)


def upload_answered(status: int, code: str | None, seconds: float) -> None:
    BATCH_UPLOADS.labels(str(status), code or "").inc()
    INTAKE_SECONDS.labels(str(status)).observe(seconds)


def _count_after(db: Any, table: Any, cursor: int, *conditions: Any) -> int:
    """Rows after ``cursor``, counted up to ``LAG_CAP`` (an index range scan, bounded)."""
    from sqlalchemy import func, select

    capped = select(table.c.seq).where(table.c.seq > cursor, *conditions).limit(LAG_CAP)
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(capped.subquery())) or 0)


def observe_registry_lag(db: Any, township: str | None, page: Any) -> None:
    """After a registry page: 0 when the reader is caught up (no more pages), else the
    township's changes it still has to pull. Counted only then, so a caught-up device (most
    requests) costs no query."""
    from caseworker.upstream.models import RegistryChange

    table = RegistryChange.__table__
    behind = (
        _count_after(db, table, page.cursor, table.c.township_code == township) if page.more else 0
    )
    FEED_LAG.labels("registry").observe(behind)


def observe_reference_lag(db: Any, page: Any) -> None:
    from caseworker.upstream.models import ReferenceItem

    behind = _count_after(db, ReferenceItem.__table__, page.cursor) if page.more else 0
    FEED_LAG.labels("reference").observe(behind)


class FeedHeads:
    """The head (last cursor value) of each feed, read from the database at scrape time."""

    def __init__(self, db: Any) -> None:
        self.db = db

    def collect(self) -> Iterable[Metric]:
        from sqlalchemy import select

        from caseworker.upstream.models import FeedCounter

        family = GaugeMetricFamily(
            "caseworker_feed_head", "the last cursor value of each feed", labels=("feed",)
        )
        try:
            with self.db.reading() as session:
                rows = session.execute(select(FeedCounter.name, FeedCounter.value)).all()
        except Exception:  # a scrape while the database is away still shows the rest
            rows = []
        for name, value in rows:
            family.add_metric([name], float(value))
        yield family


def exposition(db: Any) -> bytes:
    """The text a scrape gets: this process's metrics, or all workers' in multi-process mode,
    and the feed heads."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry.register(_Forward(REGISTRY))
    registry.register(FeedHeads(db))
    return generate_latest(registry)


class _Forward:
    """This process's own registry, inside the registry of one scrape."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        return self.registry.collect()


def parse_networks(text: str) -> list[Any]:
    """``--metrics-from``: comma-separated addresses or networks (CIDR)."""
    return [
        ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()
    ]


def readers_from_environment() -> list[Any]:
    """Who may scrape: ``$CASEWORKER_UPSTREAM_METRICS_FROM``, else loopback only."""
    return parse_networks(os.environ.get(METRICS_FROM_ENV) or DEFAULT_METRICS_FROM)


def allowed_reader(client_host: str | None, headers: Any, networks: list[Any]) -> bool:
    """Whether a scrape may be answered: from an allowed address and not through the reverse
    proxy (which adds Forwarded / X-Forwarded-For; a client cannot take them off)."""
    if headers.get("forwarded") or headers.get("x-forwarded-for"):
        return False
    try:
        address = ipaddress.ip_address(client_host or "")
    except ValueError:
        return False
    return any(address in network for network in networks)


@contextmanager
def multiprocess_folder() -> Iterator[str]:
    """``PROMETHEUS_MULTIPROC_DIR`` for the workers about to start: the operator's (emptied of
    an earlier run's files, which would be added in otherwise), else a private one removed at
    the end."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        folder = given
        os.makedirs(folder, mode=0o700, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))
        yield folder
        return
    folder = tempfile.mkdtemp(prefix="caseworker-metrics-")
    os.environ[MULTIPROC_ENV] = folder
    try:
        yield folder
    finally:
        os.environ.pop(MULTIPROC_ENV, None)
        shutil.rmtree(folder, ignore_errors=True)
