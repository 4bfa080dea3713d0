"""The real county server for tests: a subprocess on 127.0.0.1 with a free port, over a
fresh SQLite file or a fresh PostgreSQL schema (dropped afterwards)."""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import make_url

from caseworker.domain.ids import make_id_number
from caseworker.paths import DataPaths
from caseworker.services.centre import OpenSession, SetupResult, setup_centre
from caseworker.services.centre_settings import REVIEW_REQUIRED, change_setting
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.validation import PersonInput
from caseworker.store.models import Device as LocalDevice
from caseworker.sync.batches import Signer
from caseworker.sync.client import RetryPolicy, Transport
from caseworker.sync.protocol import (
    DEVICE_HEADER,
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    DeviceRegistration,
    new_nonce,
    request_signing_bytes,
)
from caseworker.sync.run import register
from caseworker.upstream.db import UpstreamDb, open_upstream
from caseworker.upstream.devices import add_centre, issue_token, register_device
from tests import procs
from tests.prepared import prepared_centre

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_CONNINFO = "host=127.0.0.1 user=postgres dbname=test"
TODAY = date(2026, 11, 27)
# Short waits: a test's server is local, and faults are injected on purpose.
FAST_RETRY = RetryPolicy(
    attempts=8, base_delay=0.05, max_delay=0.5, connect_timeout=5, read_timeout=20
)


def postgres_problem() -> str | None:
    try:
        import psycopg

        psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3
        ).close()
    except Exception as error:  # any failure means: skip, and say why
        return f"PostgreSQL at 127.0.0.1:5432 (database test) does not answer: {error}"
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def upstream_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'upstream.db'}"
        return
    problem = postgres_problem()
    if problem:
        pytest.skip(problem)
    import psycopg

    schema = f"cw_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


class Server:
    """`caseworker-upstream serve` in a subprocess; can be stopped and started again."""

    def __init__(
        self,
        url: str,
        port: int | None = None,
        log_dir: Path | None = None,
        serve_args: tuple[str, ...] = (),
    ) -> None:
        self.db_url = url
        self.serve_args = serve_args  # more options of `serve` (county settings)
        self.port = port or 0  # 0: the server binds a free port and announces it
        self.process: procs.Popen | None = None
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
        # Never the default (the current folder, for PostgreSQL): a test leaves no logs behind.
        self._own_logs = None if log_dir else tempfile.TemporaryDirectory(prefix="cw-up-logs-")
        self.log_dir = log_dir or Path(self._own_logs.name)  # type: ignore[union-attr]

    def errors(self) -> str:
        self._errors.seek(0)
        return self._errors.read().decode(errors="replace")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        # Forked from the fork server (tests/procs.py): a process of its own, without the
        # second of imports a fresh interpreter spends before it listens.
        self.process = procs.Popen(
            [
                sys.executable,
                "-m",
                "caseworker.upstream.cli",
                "serve",
                "--db",
                self.db_url,
                "--port",
                str(self.port),
                "--log-dir",
                str(self.log_dir),
                *self.serve_args,
            ],
            stdout=procs.PIPE,
            # A file, not a pipe: nobody reads while it runs, and a full pipe would stall it.
            stderr=self._errors,
        )
        # The first line names the port it bound (a restart keeps the same port).
        assert self.process.stdout is not None
        announced = self.process.stdout.readline().decode()
        if not announced.startswith("listening on "):
            self.process.wait(timeout=20)
            raise RuntimeError(self.errors() or "server died")
        self.port = int(announced.rsplit(":", 1)[1])
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.base}/v1/meta", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(self.errors() or "server died")
            if time.monotonic() > deadline:
                raise RuntimeError("the upstream server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            if "--workers" in self.serve_args:
                # The supervisor stops its workers on SIGTERM; killed, it would orphan them.
                self.process.terminate()
                try:
                    self.process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=20)
            else:
                self.process.kill()
                self.process.wait(timeout=20)
        self.process = None


# An empty county migrated to head, once per test process: a SQLite file (removed when the
# process ends) and, for PostgreSQL, the schema pg_dump wrote of a migrated one (or None
# where pg_dump is not installed: each schema is then migrated).
_MIGRATED_SQLITE: list[tempfile.TemporaryDirectory[str]] = []
_PG_SCRIPT: list[tuple[str, str] | None] = []


def migrate(url: str) -> None:
    """The county's database at ``url`` (new and empty) migrated to head, as the server's
    first open would do. A SQLite county is a copy of a file migrated once per process (same
    schema, 0600); a PostgreSQL schema gets the tables, indexes, constraints and Alembic
    version of a schema migrated once per process, replayed from pg_dump's script."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        schema = str(parsed.query.get("options", "")).removeprefix("-csearch_path=")
        script = _pg_script()
        if script is None or not schema.startswith("cw_test_"):
            open_upstream(url).close()
            return
        import psycopg

        template, sql = script
        with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
            conn.execute(sql.replace(template, schema))
        return
    target = Path(parsed.database or "")
    if parsed.get_backend_name() != "sqlite" or target.exists() or not parsed.database:
        open_upstream(url).close()
        return
    if not _MIGRATED_SQLITE:
        _MIGRATED_SQLITE.append(tempfile.TemporaryDirectory(prefix="cw-county-"))
        open_upstream(f"sqlite:///{_MIGRATED_SQLITE[0].name}/county.db").close()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copy2(Path(_MIGRATED_SQLITE[0].name) / "county.db", target)


def _pg_script() -> tuple[str, str] | None:
    """(template schema name, the SQL that makes a schema like it inside an existing one)."""
    if not _PG_SCRIPT:
        import psycopg

        _PG_SCRIPT.append(None)
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            return None
        template = f"cw_test_template_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {template}")
        try:
            open_upstream(f"{PG_ADMIN_URL}?options=-csearch_path%3D{template}").close()
            dumped = subprocess.run(
                [
                    *(pg_dump, "-h", "127.0.0.1", "-U", "postgres", "--schema", template),
                    *("--no-owner", "--no-privileges", "--inserts", "test"),
                ],
                capture_output=True,
                text=True,
                timeout=120,
            )
        finally:
            with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {template} CASCADE")
        if dumped.returncode != 0:
            return None
        # Not psql's meta-commands (\restrict), nor the schema itself: the test made it.
        lines = [
            line
            for line in dumped.stdout.splitlines()
            if not line.startswith("\\") and line != f"CREATE SCHEMA {template};"
        ]
        _PG_SCRIPT[0] = (template, "\n".join(lines))
    return _PG_SCRIPT[0]


@pytest.fixture
def server(upstream_url: str) -> Iterator[Server]:
    migrate(upstream_url)  # once, before any request
    running = Server(upstream_url).start()
    yield running
    running.stop()


def review_off(session: OpenSession) -> OpenSession:
    """Sync tests expect a change to go up at the next sync, as a centre without supervisor
    review has it; the review tests (tests/sync/test_review_upload.py) keep review on."""
    change_setting(session.database, session.actor, REVIEW_REQUIRED, False)
    return session


def new_centre(
    root: Path, code: str = "320583101", name: str = "玉山镇社会保障服务中心"
) -> OpenSession:
    """A centre set up for sync tests: its administrator logged in, review off (a copy of
    one set up once per test process for that code and name: see tests/prepared.py)."""

    def build(paths: DataPaths) -> SetupResult:
        result = setup_centre(
            paths,
            centre_code=code,
            centre_name=name,
            admin_username="admin",
            admin_password="admin password 1",
        )
        review_off(result.session)
        return result

    return prepared_centre(DataPaths(root), ("new_centre", code, name), build).session


def connect(session: OpenSession, server: Server, base_url: str | None = None) -> None:
    """Add the centre upstream (if new), issue a token, register this device with it."""
    db = open_upstream(server.db_url)
    try:
        try:
            add_centre(db, session.actor.centre_code, session.actor.centre_name)
        except Exception as error:
            if getattr(error, "code", "") != "centre_exists":
                raise
        token = issue_token(db, session.actor.centre_code)
    finally:
        db.close()
    register(session.database, session.actor, base_url or server.base, token, retry=FAST_RETRY)


def register_raw_device(
    server: Server, centre_code: str = "320583101", device_number: int = 1
) -> Signer:
    """A device registered over HTTP with a real token, without a local store: its key is
    all a test needs to sign requests (as the client, or as an attacker holding it)."""
    db = open_upstream(server.db_url)
    try:
        try:
            add_centre(db, centre_code, "玉山镇社会保障服务中心")
        except Exception as error:
            if getattr(error, "code", "") != "centre_exists":
                raise
        token = issue_token(db, centre_code)
    finally:
        db.close()
    key = Ed25519PrivateKey.generate()
    device_id = uuid.uuid4()
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    registration = DeviceRegistration(
        token=token,
        centre_code=centre_code,
        device_id=device_id,
        device_number=device_number,
        public_key=base64.b64encode(public).decode(),
    )
    transport = Transport(server.base, retry=FAST_RETRY)
    try:
        transport.register(registration)
    finally:
        transport.close()
    return Signer(device_id, centre_code, key)


def signed_get(signer: Signer, path: str, *, stamp: datetime | None = None) -> dict[str, str]:
    """The headers a device sends with a GET to ``path`` (with query), signed with its key."""
    when = (stamp or datetime.now(UTC)).isoformat()
    nonce = new_nonce()
    signature = signer.sign(request_signing_bytes("GET", path, when, nonce))
    return {
        DEVICE_HEADER: str(signer.device_id),
        TIMESTAMP_HEADER: when,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: base64.b64encode(signature).decode(),
    }


def person(n: int, *, village: str = "320583101201", name: str = "王秀英") -> PersonInput:
    born = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
    return PersonInput(
        id_number=make_id_number("320583", born, 100 + n % 800),
        name=name,
        hukou_village_code=village,
        hukou_nature="family_farm",
        employment_category="farmer",
    )


def enrol_people(session: OpenSession, count: int, start: int = 0) -> list[uuid.UUID]:
    ids = []
    for n in range(start, start + count):
        result = enrol(
            session.database,
            session.actor,
            person(n),
            [EnrolmentChoice("resident_pension", tier_fen=50_000)],
            today=TODAY,
        )
        ids.append(result.person_id)
    return ids


def register_in_process(session: OpenSession, url: str) -> UpstreamDb:
    """The county's database in-process, this device registered with it."""
    db = open_upstream(url)
    add_centre(db, session.actor.centre_code, session.actor.centre_name)
    with session.database.reading() as local:
        device = local.get_one(LocalDevice, session.actor.device_id)
        public = base64.b64encode(device.public_key).decode()
    register_device(
        db,
        DeviceRegistration(
            token=issue_token(db, session.actor.centre_code),
            centre_code=session.actor.centre_code,
            device_id=session.actor.device_id,
            device_number=1,
            public_key=public,
        ),
    )
    return db
