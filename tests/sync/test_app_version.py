"""The county names the lowest app version it accepts (/v1/meta, a county setting); an older
app stops its sync there with words, before sealing, sending or pulling anything."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from caseworker import __version__
from caseworker.store.models import OutboxEntry, SyncBatch
from caseworker.sync.batches import SyncError
from caseworker.sync.run import run_sync
from caseworker.upstream.admin import stats
from caseworker.upstream.county_settings import (
    DEFAULT_MIN_CLIENT_VERSION,
    MIN_CLIENT_VERSION_ENV,
    CountySettings,
)
from caseworker.upstream.db import open_upstream
from tests.upstream.harness import FAST_RETRY, Server, connect, enrol_people, migrate, new_centre


def test_meta_names_the_default_lowest_version_and_this_app_passes(server: Server, tmp_path):
    body = httpx.get(f"{server.base}/v1/meta", timeout=5).json()
    assert body["min_client_version"] == DEFAULT_MIN_CLIENT_VERSION
    clerk = new_centre(tmp_path / "a")
    try:
        connect(clerk, server)
        enrol_people(clerk, 1)
        assert run_sync(clerk.database, retry=FAST_RETRY).counts == {"accepted": 3}
    finally:
        clerk.close()


def test_an_older_app_is_told_to_upgrade_and_sends_nothing(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'county.db'}"
    migrate(url)
    server = Server(url, serve_args=("--min-client-version", "99.1")).start()
    clerk = new_centre(tmp_path / "a")
    try:
        assert httpx.get(f"{server.base}/v1/meta", timeout=5).json()["min_client_version"] == "99.1"
        connect(clerk, server)
        enrol_people(clerk, 2)
        with pytest.raises(SyncError) as caught:
            run_sync(clerk.database, retry=FAST_RETRY)
        error = caught.value
        assert error.code == "app_too_old"
        assert f"This app is version {__version__}; the county accepts 99.1 or newer" in (
            error.message_en
        )
        assert "ask for an upgrade" in error.message_en
        assert __version__ in error.message and "99.1" in error.message and "升级" in error.message
        with clerk.database.reading() as session:
            assert session.scalar(select(func.count()).select_from(SyncBatch)) == 0
            pending = session.scalar(
                select(func.count()).select_from(OutboxEntry).where(OutboxEntry.batch_id.is_(None))
            )
            assert pending > 0
        county = open_upstream(url)
        try:
            assert stats(county)["persons"] == 0
        finally:
            county.close()
    finally:
        clerk.close()
        server.stop()


def test_the_county_setting_comes_from_the_option_then_the_environment(monkeypatch):
    monkeypatch.delenv(MIN_CLIENT_VERSION_ENV, raising=False)
    assert CountySettings.load().min_client_version == DEFAULT_MIN_CLIENT_VERSION
    monkeypatch.setenv(MIN_CLIENT_VERSION_ENV, "0.3")
    assert CountySettings.load().min_client_version == "0.3"
    assert CountySettings.load("0.4.1").min_client_version == "0.4.1"
    with pytest.raises(ValueError, match="not a version number"):
        CountySettings.load("latest")
