"""The request-scoped context of the audit trail: the request being served (its user, their address)
and the purpose of use ("reden van inzage", NEN 7513) that events recorded while it runs carry.

AuditContextMiddleware (audit.middleware) opens it for every request with a default purpose per
context; a view or a task that knows better sets its own with `purpose_of_use(...)`."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

# The default purposes of use (Dutch, as they are exported to the municipality's SIEM).
CASE_WORK = _("uitvoering Wmo-taak")
API_TRAFFIC = _("API-berichtenverkeer")
ADMINISTRATION = _("functioneel beheer")
AUTOMATED = _("geautomatiseerde verwerking")
PRIVACY = _("privacy: toegangslog en AVG-verzoek")
LOG_REVIEW = _("privacy: logbeoordeling")


@dataclass(frozen=True)
class AccessContext:
    request: object | None = None
    purpose: str = ""


_NONE = AccessContext()
_context: ContextVar[AccessContext | None] = ContextVar("audit_access_context", default=None)


def current() -> AccessContext:
    return _context.get() or _NONE


@contextmanager
def serving(request, *, purpose: str):
    """While the block runs, events without an explicit request or purpose take these."""
    token = _context.set(AccessContext(request=request, purpose=str(purpose)))
    try:
        yield
    finally:
        _context.reset(token)


@contextmanager
def purpose_of_use(purpose: str):
    """Events recorded in the block carry this purpose of use (the request, if any, is kept)."""
    token = _context.set(replace(current(), purpose=str(purpose)))
    try:
        yield
    finally:
        _context.reset(token)


def default_purpose(path: str) -> str:
    if path.startswith("/api/"):
        return str(API_TRAFFIC)
    if path.startswith("/beheer/"):
        return str(ADMINISTRATION)
    return str(CASE_WORK)
