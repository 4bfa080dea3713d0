"""Files the app writes for the clerk (exports, reports, templates): written beside their
target and renamed into place, so a failed write never leaves half a file or replaces a good
one, and an OS error comes out in words."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from caseworker.services.errors import ServiceError


@contextmanager
def written_atomically(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it when the block ends without error;
    removed otherwise. OS errors come out as one message for the clerk."""
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=target.suffix + ".part")
        os.close(handle)
        yield Path(temporary)
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise ServiceError(
            "cannot_write",
            f"无法写入 {target}：{error.strerror or error}。请换一个可写的文件夹或文件名"
            "（文件是否已在 Excel 中打开？）。",
            f"Could not write {target}: {error.strerror or error}. Choose a folder and name "
            "you may write to (is the file open in Excel?).",
        ) from None
    finally:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
