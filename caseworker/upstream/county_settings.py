"""The county server's settings, each declared once with its default.

Set where the server is started: ``caseworker-upstream serve --min-client-version 0.2.0``, or
the environment variable (for a service manager's unit file). Nothing else reads these names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from caseworker.sync.protocol import version_key

# The lowest desktop app version the county accepts. An older app is told at its next sync,
# in words, to be upgraded (``/v1/meta``), before it sends anything the county would read
# with rules the old app does not know.
MIN_CLIENT_VERSION_ENV = "CASEWORKER_UPSTREAM_MIN_CLIENT_VERSION"
DEFAULT_MIN_CLIENT_VERSION = "0.1.0"


@dataclass(frozen=True)
class CountySettings:
    min_client_version: str = DEFAULT_MIN_CLIENT_VERSION

    def __post_init__(self) -> None:
        version_key(self.min_client_version)  # a typo fails at start, not at a centre's sync

    @classmethod
    def load(cls, min_client_version: str | None = None) -> CountySettings:
        """The given value, else the environment's, else the default."""
        value = min_client_version or os.environ.get(MIN_CLIENT_VERSION_ENV)
        return cls(value) if value else cls()
