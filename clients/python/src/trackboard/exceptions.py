"""The exceptions the client raises: each names what went wrong in words a user can act on."""

from __future__ import annotations


class TrackboardError(Exception):
    """Base of every error of this package."""


class ConfigurationError(TrackboardError):
    """No server or token was given and none is in the environment."""


class OfflineError(TrackboardError):
    """Asked of an offline client or experiment, but it needs the server."""


class UnreachableError(TrackboardError):
    """The server could not be reached, even after retrying."""


class ApiError(TrackboardError):
    """The server refused a request; carries its error envelope.

    Attributes:
        status: the HTTP status (``422``).
        code: the envelope's machine-readable code (``"validation_failed"``).
        message: the server's sentence.
        field: the request field at fault (``"name"``, ``"data.values[3]"``), if any.
    """

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        where = f" (field {field})" if field else ""
        super().__init__(f"HTTP {status} {code}: {message}{where}")


class BadRequest(ApiError):
    """400: the request could not be read."""


class Unauthorized(ApiError):
    """401: no token, or an unknown or revoked one."""


class Forbidden(ApiError):
    """403: the token's scope does not allow this."""


class NotFound(ApiError):
    """404: no such project, experiment, log, artifact…"""


class Conflict(ApiError):
    """409: conflicts with stored data (a taken name)."""


class PayloadTooLarge(ApiError):
    """413: more than one request may carry."""


class ValidationFailed(ApiError):
    """422: a field's value is not acceptable; ``field`` names it."""


_BY_STATUS = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    422: ValidationFailed,
}


def api_error(status: int, code: str, message: str, field: str | None) -> ApiError:
    """The typed exception for a refusal."""
    return _BY_STATUS.get(status, ApiError)(status, code, message, field)
