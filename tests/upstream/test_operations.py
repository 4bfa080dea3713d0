"""What an operator's tools see of the real county server: /healthz, /readyz (and its 503s
when the schema is behind or the database does not answer), /metrics (counts that add up,
no personal data in any label, closed to readers through the proxy) and the JSON log lines
of a sync whose batches carry names, ID numbers, phones and addresses."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, text

from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.store.models import SyncBatch
from caseworker.sync.protocol import DEVICE_HEADER, SIGNATURE_HEADER
from caseworker.sync.run import run_sync
from caseworker.upstream.app import create_app
from caseworker.upstream.db import open_upstream
from caseworker.upstream.health import readiness
from caseworker.upstream.metrics import RECORD_STATUSES, UNMATCHED
from caseworker.upstream.request_log import FIELDS
from tests.cli.test_logs import assert_clean, people, secrets_of
from tests.upstream.harness import (
    FAST_RETRY,
    PG_ADMIN_URL,
    PG_CONNINFO,
    TODAY,
    Server,
    connect,
    migrate,
    new_centre,
    postgres_problem,
)
from tests.upstream.test_intake import put

PEOPLE = 12


def scrape(server: Server) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics: (name, sorted labels) → value."""
    answer = httpx.get(f"{server.base}/metrics", timeout=10)
    assert answer.status_code == 200, answer.text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def sample(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_healthz_and_readyz_answer_on_a_migrated_county(server: Server):
    alive = httpx.get(f"{server.base}/healthz", timeout=5)
    assert (alive.status_code, alive.json()) == (200, {"status": "alive"})
    ready = httpx.get(f"{server.base}/readyz", timeout=5)
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert ready.json()["revision"] == ready.json()["head"]
    assert len(ready.headers["x-request-id"]) == 32


def test_readyz_is_503_while_the_schema_is_behind_or_unknown(server: Server):
    db = open_upstream(server.db_url, migrate=False)
    try:
        head = readiness(db).head
        previous = f"{int(head) - 1:04d}"
        for revision, code in ((previous, "schema_behind"), ("9999", "schema_unknown")):
            with db.engine.begin() as conn:
                conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
            answer = httpx.get(f"{server.base}/readyz", timeout=10)
            assert answer.status_code == 503
            assert answer.json() == {"status": code, "revision": revision, "head": head}
            assert httpx.get(f"{server.base}/healthz", timeout=5).status_code == 200
        with db.engine.begin() as conn:  # never stamped: behind, at no revision
            conn.execute(text("DELETE FROM alembic_version"))
        answer = httpx.get(f"{server.base}/readyz", timeout=10)
        assert (answer.status_code, answer.json()["status"]) == (503, "schema_behind")
        assert answer.json()["revision"] is None
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
        assert httpx.get(f"{server.base}/readyz", timeout=10).status_code == 200
    finally:
        db.close()


@pytest.fixture
def own_database():
    """A PostgreSQL database of its own (not a schema): it can be closed to connections."""
    problem = postgres_problem()
    if problem:
        pytest.skip(problem)
    name = f"ops_readyz_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _allow_connections(name: str, allowed: bool) -> None:
    with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS {str(allowed).lower()}")
        if not allowed:  # and the server's pooled connections cut
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )


def test_readyz_is_503_while_the_database_does_not_answer(own_database: str):
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{own_database}"
    migrate(url)
    server = Server(url).start()
    try:
        assert httpx.get(f"{server.base}/readyz", timeout=10).status_code == 200
        _allow_connections(own_database, False)
        down = httpx.get(f"{server.base}/readyz", timeout=30)
        assert down.status_code == 503
        assert down.json()["status"] == "database_unavailable"
        # Alive all the same: a supervisor must not restart a server for the database's sake.
        assert httpx.get(f"{server.base}/healthz", timeout=5).status_code == 200
        _allow_connections(own_database, True)
        assert httpx.get(f"{server.base}/readyz", timeout=30).status_code == 200
    finally:
        server.stop()


def _enrol_and_sync(server: Server, tmp_path: Path) -> tuple[list[str], list[SyncBatch]]:
    """A centre's sync of people with names, ID numbers, phones and addresses; its batches."""
    session = new_centre(tmp_path / "centre")
    try:
        connect(session, server)
        persons = people(PEOPLE)
        for person in persons:
            enrol(
                session.database,
                session.actor,
                person,
                [EnrolmentChoice("resident_pension", tier_fen=50_000)],
                today=TODAY,
            )
        run_sync(session.database, retry=FAST_RETRY)
        with session.database.reading() as local:
            batches = list(local.scalars(select(SyncBatch)))
            for batch in batches:
                local.expunge(batch)
        return secrets_of(persons), batches
    finally:
        session.close()


def test_metrics_count_batches_and_records_and_carry_no_personal_data(
    server: Server, tmp_path: Path
):
    secrets, batches = _enrol_and_sync(server, tmp_path)
    device = json.loads(batches[0].body)["device_id"]
    # A replay: the same answer, byte for byte; counted as an upload, not as applied.
    replay = put(server, batches[0].id, batches[0].body, device, batches[0].signature)
    assert replay.status_code == 200 and replay.content == batches[0].answer
    # Values a client chose, in a path and in headers: none may become a label.
    id_number = secrets[0]
    assert httpx.get(f"{server.base}/v1/persons/{id_number}", timeout=5).status_code == 404
    refused = httpx.put(
        f"{server.base}/v1/batches/{uuid.uuid4()}",
        content=b"{}",
        headers={DEVICE_HEADER: id_number, SIGNATURE_HEADER: "AAAA"},
        timeout=5,
    )
    assert refused.status_code == 400
    odd = httpx.request(f"X{id_number}", f"{server.base}/healthz", timeout=5)
    assert odd.status_code == 405

    # Names, addresses, whole ID numbers and phones nowhere on the page; the shorter digit
    # runs (a birth date, a phone's last eight) nowhere in a label (a float can hold them).
    page = httpx.get(f"{server.base}/metrics", timeout=10).text
    long_ones = [s for s in secrets if len(s) >= 11 or not s.isdigit()]
    assert not [s for s in long_ones if s in page]
    samples = scrape(server)
    values = [value for (_, labels) in samples for _, value in labels]
    assert not [s for s in secrets for value in values if s in value]
    assert sample(samples, "caseworker_batches_applied_total", via="http") == len(batches)
    assert sample(samples, "caseworker_records_total", status="created") == 3 * PEOPLE
    uploads = sample(samples, "caseworker_batch_uploads_total", status="200", code="")
    assert uploads == len(batches) + 1  # the replay too
    assert (
        sample(samples, "caseworker_batch_uploads_total", status="400", code="bad_signature_header")
        == 1
    )
    assert sample(samples, "caseworker_intake_seconds_count", status="200") == uploads
    assert sample(samples, "caseworker_feed_lag_changes_count", feed="registry") >= 1
    assert sample(samples, "caseworker_feed_lag_changes_bucket", feed="registry", le="0.0") >= 1
    assert sample(samples, "caseworker_feed_head", feed="registry") == 3 * PEOPLE
    assert sample(samples, "caseworker_requests_total", route=UNMATCHED, method="GET", status="404")
    assert sample(
        samples, "caseworker_requests_total", route="/healthz", method="other", status="405"
    )

    # Every label value of ours is a route template, a number, a code, a status (the
    # library's own process and interpreter metrics carry none from a request).
    county = open_upstream(server.db_url)
    try:
        app_routes = {route.path for route in create_app(county).routes}  # type: ignore[attr-defined]
    finally:
        county.close()
    for (name, labels), _ in samples.items():
        if not name.startswith("caseworker_"):
            continue
        for key, value in labels:
            if key == "route":
                assert value in app_routes | {UNMATCHED}, (name, value)
            elif key in ("status", "le"):
                assert value.replace(".", "").replace("+Inf", "").isdigit() or value in (
                    *RECORD_STATUSES,
                    "+Inf",
                ), (name, key, value)
            elif key == "code":
                assert value == "" or value.replace("_", "").isalpha(), (name, value)
            elif key == "method":
                assert value in ("GET", "PUT", "POST", "other"), (name, value)
            else:
                assert key in ("via", "feed"), (name, key)


def test_metrics_are_not_served_through_the_proxy_or_to_other_networks(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'county.db'}"
    migrate(url)
    server = Server(url).start()
    try:
        for forwarded in ({"X-Forwarded-For": "203.0.113.7"}, {"Forwarded": "for=203.0.113.7"}):
            answer = httpx.get(f"{server.base}/metrics", headers=forwarded, timeout=5)
            assert answer.status_code == 404
            assert "caseworker_" not in answer.text
        assert httpx.get(f"{server.base}/metrics", timeout=5).status_code == 200
    finally:
        server.stop()
    elsewhere = Server(url, serve_args=("--metrics-from", "10.20.0.0/16")).start()
    try:
        assert httpx.get(f"{elsewhere.base}/metrics", timeout=5).status_code == 404
        assert httpx.get(f"{elsewhere.base}/healthz", timeout=5).status_code == 200
    finally:
        elsewhere.stop()


def test_the_log_is_json_lines_without_personal_data(server: Server, tmp_path: Path):
    secrets, batches = _enrol_and_sync(server, tmp_path)
    chosen = "0123456789abcdef0123456789abcdef"
    echoed = httpx.get(f"{server.base}/healthz", headers={"X-Request-ID": chosen}, timeout=5)
    assert echoed.headers["x-request-id"] == chosen
    # Not a request id: replaced, so a client cannot write an ID number into the log.
    odd = httpx.get(f"{server.base}/healthz", headers={"X-Request-ID": secrets[0]}, timeout=5)
    assert odd.headers["x-request-id"] != secrets[0]

    files = assert_clean(server.log_dir, secrets)
    assert files == [server.log_dir / "upstream.log"]
    assert not [s for s in secrets if s in server.errors()]  # nor on stderr
    lines = [json.loads(line) for line in files[0].read_text("utf-8").splitlines()]
    base = {"time", "level", "logger", "pid", "message"}
    for line in lines:
        assert base <= set(line) <= base | set(FIELDS) | {"exception", "stack"}, line
    requests = [line for line in lines if line["logger"] == "caseworker.upstream.request"]
    uploads = [r for r in requests if r["route"] == "/v1/batches/{batch_id}"]
    assert len(uploads) == len(batches)
    device = json.loads(batches[0].body)["device_id"]
    assert all(r["status"] == 200 and r["device_id"] == device for r in uploads)
    assert all(isinstance(r["latency_ms"], float) for r in uploads)
    feeds = [r for r in requests if r["route"] == "/v1/feeds/registry"]
    assert feeds and all(r["centre_code"] == "320583101" for r in feeds)
    assert chosen in {r["request_id"] for r in requests}
    assert len({r["request_id"] for r in requests}) == len(requests)


def test_the_multiprocess_folder_starts_empty_and_a_private_one_goes_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from caseworker.upstream.metrics import MULTIPROC_ENV, multiprocess_folder

    given = tmp_path / "metrics"
    given.mkdir()
    (given / "counter_4242.db").write_bytes(b"an earlier run's samples")
    (given / "notes.txt").write_text("not ours")
    monkeypatch.setenv(MULTIPROC_ENV, str(given))
    with multiprocess_folder() as folder:
        assert folder == str(given)
        assert sorted(p.name for p in given.iterdir()) == ["notes.txt"]
    assert given.exists()

    monkeypatch.delenv(MULTIPROC_ENV)
    with multiprocess_folder() as folder:
        import os

        assert os.environ[MULTIPROC_ENV] == folder
        assert (Path(folder).stat().st_mode & 0o777) == 0o700
    assert not Path(folder).exists() and MULTIPROC_ENV not in os.environ
