"""The county intake server (FastAPI). The foundation serves the protocol's meta endpoint;
batch intake, device registration and change feeds arrive with the sync issue."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI
from pydantic import BaseModel

from caseworker import __version__

PROTOCOL_VERSIONS = ["1"]


class Meta(BaseModel):
    server: str
    version: str
    protocol_versions: list[str]
    server_time: datetime


def create_app() -> FastAPI:
    app = FastAPI(title="Caseworker upstream", version=__version__)

    @app.get("/v1/meta", response_model=Meta)
    def meta() -> Meta:
        """Protocol versions this server speaks and its clock (clients warn on skew)."""
        return Meta(
            server="caseworker-upstream",
            version=__version__,
            protocol_versions=PROTOCOL_VERSIONS,
            server_time=datetime.now(UTC),
        )

    return app
