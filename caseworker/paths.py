"""Where a centre installation keeps its files.

One data folder per installation: the encrypted database, the key file and the high-water
marks beside it, timestamped backups, drafts and logs. ``--data-dir`` beats ``CASEWORKER_HOME`` beats the
platform's user data folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Caseworker"
HOME_ENV = "CASEWORKER_HOME"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "caseworker.db"

    @property
    def key_file(self) -> Path:
        return self.root / "caseworker.keys"

    @property
    def marks(self) -> Path:
        """High-water marks: receipt counters and audit head, kept outside the database."""
        return self.root / "caseworker.marks"

    @property
    def failed_logins(self) -> Path:
        """Failed logins typed while the database was locked, until the next login audits them."""
        return self.root / "caseworker.logins"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def drafts(self) -> Path:
        return self.root / "drafts"

    @property
    def logs(self) -> Path:
        """Private (0700) and free of personal data: see ``caseworker.logs``."""
        return self.root / "logs"

    def exists(self) -> bool:
        return self.database.exists() or self.key_file.exists()


def resolve_data_dir(override: str | os.PathLike[str] | None = None) -> DataPaths:
    if override:
        root = Path(override)
    elif os.environ.get(HOME_ENV):
        root = Path(os.environ[HOME_ENV])
    else:
        import platformdirs  # only here: a command given its folder does not pay for it

        root = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return DataPaths(root.expanduser().resolve())
