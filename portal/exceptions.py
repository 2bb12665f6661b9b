"""The one error type for broken rules. Pages show its message; the API turns it into problem+json."""

from __future__ import annotations


class PortalError(Exception):
    """A rule of the portal refused an action. ``message`` is for the user, in their language.

    ``errors`` maps a field (or a "row N, column X" location) to its messages; ``status`` is
    the HTTP status the API answers with (400 bad input, 404 not found, 409 conflict with state;
    the subclasses below add 412, 428 and 422 for the write protocol).
    """

    def __init__(
        self, message: str, *, errors: dict[str, list[str]] | None = None, status: int = 400, code: str = "invalid"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.status = status
        self.code = code


class StaleVersionError(PortalError):
    """The caller's version of a row is not the current one (412): someone changed it since they read it.

    ``current`` is the version now, so the caller can fetch it again and show what changed.
    """

    def __init__(self, message: str, *, current: str = "", code: str = "precondition_failed") -> None:
        super().__init__(message, status=412, code=code)
        self.current = current


class VersionRequiredError(PortalError):
    """A change that must name the version it was made on did not name one (428)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=428, code="precondition_required")


class IdempotencyKeyReusedError(PortalError):
    """A repeated request (same idempotency key) asks for something else than the first (422)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=422, code="idempotency_key_reused")
