"""Errors services raise, each with a message an operator can act on."""

from __future__ import annotations

from caseworker.domain.errors import InvalidValue


class ServiceError(Exception):
    def __init__(self, code: str, message: str, message_en: str = "") -> None:
        super().__init__(message_en or message)
        self.code = code
        self.message = message
        self.message_en = message_en or message


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone changed the record since it was read; nothing was written."""


class ValidationFailed(ServiceError):
    """One or more fields are wrong; ``errors`` has one entry per field, nothing was written."""

    def __init__(self, errors: list[InvalidValue]) -> None:
        lines = "\n".join(f"{e.field}: {e.message}" for e in errors)
        lines_en = "\n".join(f"{e.field}: {getattr(e, 'message_en', e.message)}" for e in errors)
        super().__init__("invalid", lines, lines_en)
        self.errors = errors

    def by_field(self) -> dict[str, InvalidValue]:
        return {error.field: error for error in self.errors}


def field_error(field: str, code: str, message: str, message_en: str) -> ValidationFailed:
    """One wrong field, said in Chinese and English (raise the result)."""
    error = InvalidValue(field, code, message)
    error.message_en = message_en  # type: ignore[attr-defined]
    return ValidationFailed([error])
