"""The one error type every validator raises, so the UI and CLI can show it next to its field."""

from __future__ import annotations


class InvalidValue(ValueError):
    """A value an operator typed is wrong.

    ``field`` names the input (``id_number``, ``phone`` ...), ``code`` is a stable
    machine-readable reason and ``message`` says in plain words what is wrong and how to fix it.
    """

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(field={self.field!r}, code={self.code!r})"
