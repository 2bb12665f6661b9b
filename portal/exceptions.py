"""The one error type for broken rules. Pages show its message; the API turns it into problem+json."""

from __future__ import annotations


class PortalError(Exception):
    """A rule of the portal refused an action. ``message`` is for the user, in their language.

    ``errors`` maps a field (or a "row N, column X" location) to its messages; ``status`` is
    the HTTP status the API answers with (400 bad input, 404 not found, 409 conflict with state).
    """

    def __init__(
        self, message: str, *, errors: dict[str, list[str]] | None = None, status: int = 400, code: str = "invalid"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.status = status
        self.code = code
