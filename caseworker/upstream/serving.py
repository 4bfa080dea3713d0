"""``caseworker-upstream serve``: one process, or a supervisor and N worker processes.

One process serves the app built here. Several (``--workers N``, PostgreSQL only) are uvicorn's
own supervisor (``uvicorn.supervisors.Multiprocess``) over one listening socket; each worker is
a new interpreter (spawned) that builds its app with ``app.app_from_environment`` from what is
put in the environment here (database URL, lowest client version, metrics readers, log folder).
The database is migrated here, once, before any worker starts: N workers migrating at once
would race. Nothing a request needs is kept in a worker's memory (docs/architecture.md,
"Several workers"), so any worker can answer any request.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from caseworker.upstream import county_settings, metrics
from caseworker.upstream.county_settings import CountySettings
from caseworker.upstream.db import DB_ENV, open_upstream

# Where a worker writes upstream.log (set by the supervisor, read by app_from_environment).
LOG_DIR_ENV = "CASEWORKER_UPSTREAM_LOG_DIR"
# uvicorn's records (a 500's traceback among them) go to our redacting log, not raw to stderr
# (log_config=None). No access log: our own request line (request_log) replaces it.
UVICORN_OPTIONS: dict[str, Any] = {"log_level": "warning", "log_config": None, "access_log": False}


def workers_refused(url: str, workers: int) -> str | None:
    """Why this many workers cannot serve this database, or None."""
    if workers < 1:
        return "错误：--workers 至少为 1。 Error: --workers is at least 1."
    if workers > 1 and make_url(url).get_backend_name() == "sqlite":
        return (
            "错误：SQLite 数据库只能由一个服务进程使用（--workers 1）；多个进程请使用 PostgreSQL。\n"
            "Error: a SQLite county is served by one process (--workers 1): its writers queue "
            "on one file lock. For several workers use PostgreSQL (--db postgresql+psycopg://...)."
        )
    return None


def serve(
    url: str,
    host: str,
    port: int,
    workers: int,
    settings: CountySettings,
    readers: list[Any],
    log_dir: Path,
) -> int:
    """Serve until stopped (SIGTERM/SIGINT); 2 when refused before listening."""
    import uvicorn

    from caseworker.upstream.app import create_app

    refused = workers_refused(url, workers)
    if refused:
        print(refused, file=sys.stderr)
        return 2
    db = open_upstream(url)  # migrated here, once, before any worker starts
    # Bind first, then announce the address: with --port 0 the system picks a free port, and
    # whoever started the server (a test, a supervisor script) learns it from this line
    # instead of guessing a port that another process may take in between.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    bound_host, bound_port = listener.getsockname()[:2]
    announce = f"listening on http://{bound_host}:{bound_port}"
    if workers == 1:
        # One process keeps its metrics in memory, unless the operator set a multi-process
        # folder anyway: then it is emptied of an earlier run's samples, as for several.
        given = os.environ.get(metrics.MULTIPROC_ENV)
        with metrics.multiprocess_folder() if given else contextlib.nullcontext():
            config = uvicorn.Config(create_app(db, settings, readers), **UVICORN_OPTIONS)
            print(announce, flush=True)
            uvicorn.Server(config).run(sockets=[listener])
        return 0
    from uvicorn.supervisors import Multiprocess

    db.close()
    os.environ[DB_ENV] = url
    os.environ[county_settings.MIN_CLIENT_VERSION_ENV] = settings.min_client_version
    os.environ[metrics.METRICS_FROM_ENV] = ",".join(str(network) for network in readers)
    os.environ[LOG_DIR_ENV] = str(log_dir)
    with metrics.multiprocess_folder():
        config = uvicorn.Config(
            "caseworker.upstream.app:app_from_environment",
            factory=True,
            workers=workers,
            **UVICORN_OPTIONS,
        )
        print(announce, flush=True)
        Multiprocess(config, sockets=[listener]).run()
    return 0
