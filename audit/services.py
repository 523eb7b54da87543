import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.db.models import Aggregate, CharField, Subquery, Value
from django.db.models.functions import Coalesce
from django.forms import ModelChoiceField, ModelMultipleChoiceField

from ui.transactions import savepoint_marker, surviving

from . import context, hooks, network
from .models import NEN_ACTIONS, AuditEvent, mask_bsn

# Characters that a database may refuse (PostgreSQL: NUL in text and in jsonb) or that make a log
# line ambiguous: C0 and C1 controls, DEL and lone surrogates. The backslash is escaped as well, so
# that "\x00" typed by a caller and a NUL byte stay distinguishable.
_UNPRINTABLE = re.compile(r"[\\\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    """text with every control character, lone surrogate and backslash written as an escape
    (`\\x00`, `\\ud800`, `\\\\`): safe to store on every database, and unambiguous to read."""

    def escape(match: re.Match) -> str:
        char = match.group()
        if char == "\\":
            return "\\\\"
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _UNPRINTABLE.sub(escape, text)


def _text(value, limit: int) -> str:
    return printable(str(value))[:limit]


def _safe(value):
    """changes as stored: every string (keys too) printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(str(key)): _safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe(item) for item in value]
    return value


def _actor_fields(actor, actor_label: str | None) -> dict:
    """A staff user is stored as the actor; another principal (a provider's API client) by its
    label; an explicit label names a caller that did not authenticate (an unknown key)."""
    is_user = isinstance(actor, get_user_model()) and actor.is_authenticated
    if actor_label is None:
        actor_label = str(actor) if not is_user and getattr(actor, "is_authenticated", False) else ""
    return {"actor": actor if is_user else None, "actor_label": _text(actor_label, 120)}


class _JoinedNames(Aggregate):
    """The names of a group of rows in one text, ", " between them (GROUP_CONCAT / STRING_AGG)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, function="STRING_AGG", template="%(function)s(%(expressions)s::text, ', ')"
        )


def _user_roles(user_pk: int):
    """The user's role at the moment of the event: their groups' names, read inside the event's
    own INSERT (a subquery), so recording an event costs no extra query."""
    names = (
        Group.objects.filter(user=user_pk)
        .order_by()
        .values("user")
        .annotate(names=_JoinedNames("name"))
        .values("names")
    )
    return Coalesce(Subquery(names[:1]), Value(""), output_field=CharField())


def _role(actor, stored_actor) -> str | models.Expression:
    if stored_actor is not None:
        return _user_roles(stored_actor.pk)
    provider = getattr(actor, "provider", None)  # a provider's API client (api.authentication)
    if getattr(provider, "agb_code", None):
        return f"aanbieder {provider.agb_code}"
    return ""


def _purpose(actor, stored_actor) -> str:
    current = context.current().purpose
    if current:
        return current
    if stored_actor is None and getattr(actor, "provider", None) is not None:
        return str(context.API_TRAFFIC)
    return str(context.CASE_WORK if stored_actor is not None else context.AUTOMATED)


def _bsn(client_id) -> str | models.Expression:
    if client_id is None:
        return ""
    found = hooks.person_identifier(client_id)
    if found is None:
        return ""
    if isinstance(found, str):
        return found
    return Coalesce(found, Value(""), output_field=CharField())


def system_id() -> str:
    """Which installation wrote the event (NEN 7513: for when the logs of several systems are merged)."""
    return settings.SDDCASE_SYSTEM_ID


def _append(
    *,
    actor,
    actor_label: str | None = None,
    action: str,
    object_type: str,
    object_id,
    client_id=None,
    summary: str = "",
    changes: dict | None = None,
    ip_address: str | None = None,
    bsn: str | None = None,
    nen_action: str | None = None,
    outcome: str | None = None,
    purpose: str | None = None,
) -> AuditEvent:
    """The one place that writes an event: who (see _actor_fields), what, about which object; every
    text stored printable and cut to its column. Inside collect_events() the event is kept and
    inserted with the others at the block's end (one INSERT for a batch).

    The NEN 7513 fields are filled here, so that no recorder needs to know them: the action code and
    outcome from the action (models.NEN_ACTIONS), the role (the user's groups, or "aanbieder <AGB>"),
    the purpose of use and the network access point from the request being served (audit.context),
    the system identity from settings, the BSN of client_id (audit.hooks). A recorder that knows
    better passes them."""
    fields = _actor_fields(actor, actor_label)
    default_code, default_outcome = NEN_ACTIONS.get(action, ("R", "success"))
    request = context.current().request
    if ip_address is None and request is not None:
        ip_address = client_ip(request)
    event = AuditEvent(
        **fields,
        action=action,
        object_type=_text(object_type, 100),
        object_id=_text(object_id, 64),
        client_id=client_id,
        summary=_text(summary, 255),
        changes=_safe(changes or {}),
        ip_address=ip_address,
        nen_action=nen_action or default_code,
        outcome=outcome or default_outcome,
        actor_role=_role(actor, fields["actor"]),
        purpose=_text(purpose or _purpose(actor, fields["actor"]), 120),
        system_id=_text(system_id(), 100),
        bsn=_bsn(client_id) if bsn is None else _text(bsn, 9),
    )
    pending = _pending.get()
    if pending is None:
        if event.nen_action == "R" and _commits_asynchronously():
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                event.save()
        else:
            event.save()
        return event
    # A marker in the transaction's on-commit list: Django drops it when a savepoint around this
    # event rolls back, and so the event is dropped with the change it recorded (see _flush).
    pending.append((event, savepoint_marker()))
    return event


def _commits_asynchronously() -> bool:
    """Whether a read's event may commit without waiting for the WAL flush: when the setting asks
    for it, on PostgreSQL, and only as its own transaction (inside a change's transaction the event
    commits with the change)."""
    return (
        settings.AUDIT_READS_ASYNCHRONOUS_COMMIT
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


# While collect_events() runs: the events recorded, each with its on-commit marker.
_pending: ContextVar[list | None] = ContextVar("audit_events", default=None)


@contextmanager
def collect_events():
    """Record the events of the block with one bulk INSERT at its end instead of one INSERT each
    (a batch of iWmo messages; issue 16). Use it inside a transaction (the events are still written
    in it, before it commits); an event whose savepoint was rolled back is not written, as if it
    had been inserted and rolled back. Nested: the outer block writes them."""
    if _pending.get() is not None or not connection.in_atomic_block:
        yield
        return
    pending: list = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _flush(pending)


def _flush(pending: list) -> None:
    events = surviving(pending)
    if events:
        _read_set_wise(events)
        AuditEvent.objects.bulk_create(events)


def _is_expression(value) -> bool:
    return hasattr(value, "resolve_expression")


# From this many events a batch reads its BSNs (and roles) in one query before its INSERT; fewer
# keep their subqueries (cheaper than a round trip: a single WMO301's event).
SET_WISE_FROM = 8


def _read_set_wise(events: list[AuditEvent]) -> None:
    """The batch's BSNs and roles read in one query each, before its INSERT and in its transaction,
    instead of one subquery per event inside it: at a few hundred events per batch the subqueries
    cost two to five times the INSERT of the plain values (the iWmo inbox's batches, issue 16)."""
    wanting_bsn = [event for event in events if event.client_id is not None and _is_expression(event.bsn)]
    found = None
    if len(wanting_bsn) >= SET_WISE_FROM:
        found = hooks.person_identifiers({event.client_id for event in wanting_bsn})
    if found is not None:
        for event in wanting_bsn:
            event.bsn = found.get(event.client_id, "")
    wanting_role = [event for event in events if event.actor_id is not None and _is_expression(event.actor_role)]
    if len(wanting_role) >= SET_WISE_FROM:
        roles: dict[int, list[str]] = {}
        names = Group.objects.filter(user__in={event.actor_id for event in wanting_role}).order_by("name")
        for user_id, name in names.values_list("user", "name"):
            roles.setdefault(user_id, []).append(name)
        for event in wanting_role:
            event.actor_role = ", ".join(roles.get(event.actor_id, []))


def record_event(
    *,
    actor,
    action: str,
    obj: models.Model,
    client_id: int | None = None,
    summary: str = "",
    changes: dict | None = None,
    ip_address: str | None = None,
    **nen,
) -> AuditEvent:
    """Append one audit event; call it inside the transaction of the change it records. The actor is
    a staff user, or another principal (a provider's API client) recorded by its label. `nen` takes
    what the caller knows better than the defaults: bsn, nen_action, outcome, purpose (see _append)."""
    return _append(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        client_id=client_id,
        summary=summary,
        changes=changes,
        ip_address=ip_address,
        **nen,
    )


def record_system_event(
    *, actor=None, actor_label: str, action: str, object_type: str, summary: str, changes: dict | None = None
) -> AuditEvent:
    """Append one event about a run over many objects (a nightly job), not about one object: who ran
    it (a user, or the job's label), what and how many. Call it inside the run's transaction; put
    counts in `changes`, never contents."""
    return _append(
        actor=actor,
        actor_label=None if actor is not None else actor_label,
        action=action,
        object_type=object_type,
        object_id="",
        summary=summary,
        changes=changes,
    )


def changed_fields(before: dict, after: dict) -> dict:
    """The fields whose value differs, as {field: [before, after]} with JSON-safe values."""
    return {
        field: [_jsonable(before.get(field)), _jsonable(value)]
        for field, value in after.items()
        if before.get(field) != value
    }


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


def client_ip(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or behind a trusted proxy the client's from X-Forwarded-For
    (audit/network.py); None when it is not an IP address (the column is `inet` on PostgreSQL)."""
    return network.client_ip(request)


def record_read(request, obj: models.Model, *, client_id: int | None, summary: str) -> AuditEvent:
    """Record that the requesting user (or API client) read obj: one call in a view or API view."""
    return record_event(
        actor=request.user,
        action=AuditEvent.Action.READ,
        obj=obj,
        client_id=client_id,
        summary=summary,
        ip_address=client_ip(request),
    )


def record_request(
    request,
    *,
    action: str,
    object_type: str,
    object_id: str = "",
    client_id: int | None = None,
    summary: str = "",
    actor=None,
    actor_label: str | None = None,
    **nen,
) -> AuditEvent:
    """Record one API call (who, what, from where) when there is no single object to name. The actor
    is request.user unless given; every text is stored printable (a path may hold a NUL byte)."""
    return _append(
        **nen,
        actor=getattr(request, "user", None) if actor is None else actor,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        client_id=client_id,
        summary=summary,
        ip_address=client_ip(request),
    )


def form_changes(form) -> dict:
    """A model form's changed fields as {field: [before, after]} (JSON-safe; a many-to-many field as
    the list of primary keys): what an admin edit changed."""
    before, after = {}, {}
    for name in form.changed_data:
        field = form.fields.get(name)
        initial = form.get_initial_for_field(field, name) if field is not None else None
        single_choice = isinstance(field, ModelChoiceField) and not isinstance(field, ModelMultipleChoiceField)
        if single_choice and initial is not None:
            initial = str(initial)  # a foreign key's initial value is its primary key, as after
        before[name] = _form_value(initial)
        after[name] = _form_value(form.cleaned_data.get(name))
    return changed_fields(before, after)


def _form_value(value):
    if isinstance(value, (models.QuerySet, list, tuple)):
        return sorted(str(item.pk) if isinstance(item, models.Model) else str(item) for item in value)
    return _jsonable(value)


def record_admin_edit(request, obj: models.Model, *, action: str, changes: dict | None = None) -> AuditEvent:
    """Record an add, change or delete made in the admin (/beheer/): who, from where, which object
    (by its verbose name and text, as its primary key is gone after a delete) and the changed fields."""
    return record_event(
        actor=request.user,
        action=action,
        obj=obj,
        changes=changes,
        ip_address=client_ip(request),
        summary=f"beheer: {obj._meta.verbose_name} {obj}",
    )


def record_search(
    request,
    *,
    object_type: str,
    criteria: dict,
    hits: int,
    bsn: str = "",
    purpose: str | None = None,
) -> AuditEvent:
    """Record a search or filter over client data (NEN 7513 code S): who searched, for what, and how
    many hits. A BSN searched for is stored whole in the searchable column and shown masked in the
    summary and in the criteria; a name is kept as typed."""
    shown = {
        name: (mask_bsn(value) if name == "bsn" else _jsonable(value)) for name, value in criteria.items() if value
    }
    terms = ", ".join(f"{name} {value}" for name, value in shown.items())
    return _append(
        actor=getattr(request, "user", None),
        action=AuditEvent.Action.SEARCH,
        object_type=object_type,
        object_id="",
        summary=f"gezocht: {terms} → {hits} treffer{'s' if hits != 1 else ''}",
        changes={"criteria": shown, "hits": hits},
        ip_address=client_ip(request),
        bsn=bsn,
        purpose=purpose,
    )
