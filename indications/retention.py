"""The retention of closed client files (issue 19): which files are closed longer than
CLIENT_FILE_RETENTION_YEARS, the nightly proposal to destroy them, the review of each proposal by
the functioneel beheerder, and its execution: the anonymisation of the file.

- **Closed** (`closed_client_files`): no indication that is undecided (concept, ter beoordeling,
  goedgekeurd) or live (vastgesteld, actief), no onderzoek still open, and the latest relevant date
  of the client's records (a beschikking's end, ending or decision, a melding, an aanvraag, the end
  of an onderzoek or its nazorg, an evaluation, the client's registration) lies before today minus
  the retention period. That date is the file's `closed_on`. One query, whatever the number of clients.
- **Holds** (`indications.hooks.retention_holds`): the layers above register what keeps a file
  (an open bezwaar, a calamiteit not yet closed); a held file is not proposed, and a proposal whose
  client is held now cannot be approved or carried out.
- **Review** (the status table below): a proposal is approved (with a reason: the four-eyes step
  after the system's proposal), postponed to a date or rejected (the file is kept; the same closing
  is not proposed again). A postponed proposal comes back on its date; one whose file was opened
  again (a new melding or beschikking) lapses.
- **Execution** (`execute_destruction`): the personal data is replaced in one transaction; the
  dates, products, amounts and statuses the monitor and the SLA figures count are kept. The apps
  above anonymise their own data through `indications.hooks.client_anonymised`. Nothing is deleted
  from the case file's tables; the audit event records counts, never contents.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event, record_system_event

from . import hooks
from .models import (
    LIVE_STATUSES,
    OPEN_DESTRUCTION_STATUSES,
    UNDECIDED_STATUSES,
    Aanvraag,
    Client,
    Conversation,
    DestructionProposal,
    DestructionStatusChange,
    EmergencyAccess,
    Evaluation,
    Indication,
    IndicationResult,
    IndicationStatusChange,
    Intake,
    Mantelzorger,
    Melding,
    OtherProvision,
    PgbBudget,
    QualityAnswer,
    QualityCheck,
    ResultProgress,
    Review,
    ReviewQuestion,
)
from .models import DestructionStatus as S
from .validators import years_before

# What replaces a free text that may not be empty (a constraint or a required field); an empty
# text stays empty.
PLACEHOLDER = "[geanonimiseerd]"
SYSTEM_LABEL = "bewaartermijn cliëntdossiers"
NOTE_MIN_LENGTH = 10

ALLOWED_STATUS_CHANGES: dict[str, set[str]] = {
    S.PROPOSED: {S.APPROVED, S.POSTPONED, S.REJECTED, S.LAPSED},
    # Until it is carried out an approval can still be turned into a postponement or a rejection.
    S.APPROVED: {S.EXECUTED, S.POSTPONED, S.REJECTED, S.LAPSED},
    # The nightly job brings a postponed proposal back on its date; the reviewer may decide before it.
    S.POSTPONED: {S.PROPOSED, S.APPROVED, S.POSTPONED, S.REJECTED, S.LAPSED},
    S.EXECUTED: set(),
    S.REJECTED: set(),
    S.LAPSED: set(),
}

_FLOOR = Value(date(1900, 1, 1), output_field=DateField())


class InvalidDestructionMove(ValidationError):
    pass


# --- Selectors ------------------------------------------------------------------------------------------


def retention_cutoff(today: date, years: int | None = None) -> date:
    """The day before which a file must have closed to be proposed: today minus the retention period
    (29 February becomes 28 February in a year without it)."""
    return years_before(today, settings.CLIENT_FILE_RETENTION_YEARS if years is None else years)


def _latest(queryset: QuerySet, expression) -> Subquery:
    """The latest value of `expression` over the client's rows in `queryset` (None without rows)."""
    return Subquery(
        queryset.order_by().values("client_ref").annotate(latest=Max(expression)).values("latest")[:1],
        output_field=DateField(),
    )


def with_closed_on(clients: QuerySet[Client]) -> QuerySet[Client]:
    """The clients annotated with `closed_on`: the latest relevant date of any of their records."""
    indications = Indication.objects.filter(client=OuterRef("pk")).annotate(client_ref=F("client_id"))
    meldingen = Melding.objects.filter(client=OuterRef("pk")).annotate(client_ref=F("client_id"))
    aanvragen = Aanvraag.objects.filter(client=OuterRef("pk")).annotate(client_ref=F("client_id"))
    intakes = Intake.objects.filter(melding__client=OuterRef("pk")).annotate(client_ref=F("melding__client_id"))
    evaluations = Evaluation.objects.filter(indication__client=OuterRef("pk")).annotate(
        client_ref=F("indication__client_id")
    )
    return clients.annotate(
        closed_on=Greatest(
            TruncDate("created_at"),
            Coalesce(
                _latest(
                    indications,
                    Greatest(Coalesce("ended_on", "end_date", "start_date"), Coalesce("decision_date", "start_date")),
                ),
                _FLOOR,
            ),
            Coalesce(_latest(meldingen, F("received_on")), _FLOOR),
            Coalesce(_latest(aanvragen, F("received_on")), _FLOOR),
            Coalesce(
                _latest(
                    intakes,
                    Greatest(Coalesce("nazorg_done_on", "concluded_on", _FLOOR), Coalesce("concluded_on", _FLOOR)),
                ),
                _FLOOR,
            ),
            Coalesce(_latest(evaluations, F("held_on")), _FLOOR),
            output_field=DateField(),
        )
    )


def _open_file() -> Q:
    """A file that is still open: an undecided or live indication, or an onderzoek not concluded."""
    return Q(
        Exists(Indication.objects.filter(client=OuterRef("pk"), status__in=[*UNDECIDED_STATUSES, *LIVE_STATUSES]))
    ) | Q(Exists(Intake.objects.filter(melding__client=OuterRef("pk"), concluded_on__isnull=True)))


def _held() -> Q:
    held = Q(pk__in=[])
    for hold in hooks.retention_holds():
        held |= Q(pk__in=hold.client_ids())
    return held


def closed_client_files(*, today: date, years: int | None = None, holds: bool = True) -> QuerySet[Client]:
    """The clients whose file is closed longer than the retention period, annotated with `closed_on`;
    without the held ones unless `holds` is False. One query (subqueries per table and per hold)."""
    cutoff = retention_cutoff(today, years)
    clients = with_closed_on(Client.objects.filter(anonymised_at__isnull=True)).exclude(_open_file())
    if holds:
        clients = clients.exclude(_held())
    return clients.filter(closed_on__lt=cutoff)


def proposable_client_files(*, today: date, years: int | None = None) -> QuerySet[Client]:
    """Closed, not held, without an open proposal, and not kept by a rejection of this same closing."""
    return closed_client_files(today=today, years=years).exclude(
        Exists(DestructionProposal.objects.filter(client=OuterRef("pk"), status__in=OPEN_DESTRUCTION_STATUSES))
        | Exists(
            DestructionProposal.objects.filter(
                client=OuterRef("pk"), status=S.REJECTED, closed_on__gte=OuterRef("closed_on")
            )
        )
    )


def holds_of(client_ids) -> dict[int, list[str]]:
    """Per client (of `client_ids`) the labels of the holds on their file now: one query per hold."""
    ids = list(client_ids)
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    for hold in hooks.retention_holds():
        for client_id in (
            Client.objects.filter(pk__in=ids).filter(pk__in=hold.client_ids()).values_list("pk", flat=True)
        ):
            found.setdefault(client_id, []).append(str(hold.label))
    return found


def open_proposals() -> QuerySet[DestructionProposal]:
    return (
        DestructionProposal.objects.filter(status__in=OPEN_DESTRUCTION_STATUSES)
        .select_related("client__municipality", "decided_by")
        .order_by("closed_on", "id")
    )


def recent_decisions(limit: int = 20) -> QuerySet[DestructionProposal]:
    return (
        DestructionProposal.objects.exclude(status__in=OPEN_DESTRUCTION_STATUSES)
        .select_related("client__municipality", "decided_by", "executed_by")
        .order_by("-decided_at", "-id")[:limit]
    )


# --- Services: the proposal and its review ------------------------------------------------------------


def _move(proposal: DestructionProposal, target: str, *, by, note: str = "") -> None:
    if target not in ALLOWED_STATUS_CHANGES[proposal.status]:
        raise InvalidDestructionMove(
            _("Een voorstel met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": S(proposal.status).label, "target": S(target).label},
            code="invalid_transition",
        )
    source = proposal.status
    proposal.status = target
    proposal.full_clean()
    proposal.save()
    DestructionStatusChange.objects.create(proposal=proposal, from_status=source, to_status=target, by=by, note=note)
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=proposal,
        client_id=proposal.client_id,
        summary=f"vernietiging {source} → {target}",
        changes={"status": [source, target]},
    )


def _lock(proposal: DestructionProposal) -> DestructionProposal:
    return DestructionProposal.objects.select_for_update(of=("self",)).select_related("client").get(pk=proposal.pk)


def _clean_note(note: str, *, required: bool = True) -> str:
    note = (note or "").strip()
    if required and len(note) < NOTE_MIN_LENGTH:
        raise ValidationError(
            {
                "note": ValidationError(
                    _("Geef een toelichting van minstens %(n)s tekens.") % {"n": NOTE_MIN_LENGTH}, code="note_required"
                )
            }
        )
    return note


def _ensure_not_held(proposal: DestructionProposal) -> None:
    labels = holds_of([proposal.client_id]).get(proposal.client_id)
    if labels:
        raise ValidationError(
            _("Dit dossier wordt nog vastgehouden: %(holds)s.") % {"holds": ", ".join(labels)}, code="held"
        )


def _decide(proposal, target: str, *, by, note: str, now: datetime | None, **fields) -> DestructionProposal:
    note = _clean_note(note)
    with transaction.atomic():
        proposal = _lock(proposal)
        proposal.decided_by = by
        proposal.decided_at = now or timezone.now()
        proposal.note = note
        for name, value in fields.items():
            setattr(proposal, name, value)
        _move(proposal, target, by=by, note=note)
    return proposal


def approve_destruction(proposal, *, by, note: str, now: datetime | None = None) -> DestructionProposal:
    """Approve the destruction of the file: the reason is required (the system proposed, a person
    decides and says why). Refused while a hold applies."""
    _ensure_not_held(proposal)
    return _decide(proposal, S.APPROVED, by=by, note=note, now=now, postponed_until=None)


def postpone_destruction(
    proposal, *, by, note: str, until: date | None, today: date | None = None, now: datetime | None = None
) -> DestructionProposal:
    """Postpone the decision to `until` (a day after today); the proposal comes back then."""
    today = today or timezone.localdate()
    if until is None or until <= today:
        raise ValidationError(
            {"until": ValidationError(_("Kies een datum na vandaag."), code="postpone_date_in_future")}
        )
    return _decide(proposal, S.POSTPONED, by=by, note=note, now=now, postponed_until=until)


def reject_destruction(proposal, *, by, note: str, now: datetime | None = None) -> DestructionProposal:
    """Keep the file: this closing is not proposed again (a new closing after a new case is)."""
    return _decide(proposal, S.REJECTED, by=by, note=note, now=now, postponed_until=None)


def propose_closed_client_files(*, today: date | None = None, now: datetime | None = None) -> dict:
    """Nightly: propose every closed, unheld file without a proposal; bring back the postponed
    proposals whose date has come; let the open proposals lapse whose file was opened again.
    Set-wise, in one transaction; one audit event with the counts (never a name or BSN)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    years = settings.CLIENT_FILE_RETENTION_YEARS
    with transaction.atomic():
        # Opened again (not closed any more, holds aside): the proposal lapses.
        still_closed = closed_client_files(today=today, years=years, holds=False).values("pk")
        lapsing = list(
            DestructionProposal.objects.select_for_update()
            .filter(status__in=OPEN_DESTRUCTION_STATUSES)
            .exclude(client__in=still_closed)
            .values_list("pk", "status")
        )
        _bulk_move(lapsing, S.LAPSED, note="dossier is weer geopend")
        resuming = list(
            DestructionProposal.objects.select_for_update()
            .filter(status=S.POSTPONED, postponed_until__lte=today)
            .values_list("pk", "status")
        )
        _bulk_move(resuming, S.PROPOSED, note="uitsteldatum bereikt")
        new = [
            DestructionProposal(client_id=pk, closed_on=closed_on, retention_years=years, proposed_at=now)
            for pk, closed_on in proposable_client_files(today=today, years=years).values_list("pk", "closed_on")
        ]
        created = DestructionProposal.objects.bulk_create(new, batch_size=1000)
        DestructionStatusChange.objects.bulk_create(
            [DestructionStatusChange(proposal_id=p.pk, from_status="", to_status=S.PROPOSED) for p in created],
            batch_size=1000,
        )
        result = {"proposed": len(created), "resumed": len(resuming), "lapsed": len(lapsing), "retention_years": years}
        record_system_event(
            actor_label=SYSTEM_LABEL,
            action=AuditEvent.Action.CREATE,
            object_type=DestructionProposal._meta.label_lower,
            summary=(
                f"bewaartermijn ({years} jaar): {len(created)} dossiers voorgesteld voor vernietiging, "
                f"{len(resuming)} terug na uitstel, {len(lapsing)} vervallen"
            ),
            changes=result,
        )
    return result


def _bulk_move(rows: list[tuple[int, str]], target: str, *, note: str) -> None:
    """The system's moves of many proposals at once (the nightly job): the status and a history row each."""
    if not rows:
        return
    for _pk, source in rows:
        if target not in ALLOWED_STATUS_CHANGES[source]:  # pragma: no cover - the queries select only allowed ones
            raise InvalidDestructionMove(f"{source} → {target}")
    pks = [pk for pk, _source in rows]
    DestructionProposal.objects.filter(pk__in=pks).update(status=target)
    DestructionStatusChange.objects.bulk_create(
        [
            DestructionStatusChange(proposal_id=pk, from_status=source, to_status=target, note=note)
            for pk, source in rows
        ],
        batch_size=1000,
    )


# --- Service: the execution, anonymising the file -------------------------------------------------------


def blanked(field: str, placeholder: str = PLACEHOLDER) -> Case:
    """The update expression of a free text: empty stays empty, any other text becomes the placeholder
    (so a constraint "motivated when ..." still holds). The apps above use it for their own texts."""
    return Case(When(**{field: ""}, then=Value("")), default=Value(placeholder))


def blank_texts(queryset: QuerySet, fields: list[str], placeholder: str = PLACEHOLDER) -> int:
    """Replace the free texts `fields` of the rows of `queryset`; returns the number of rows."""
    return queryset.update(**{field: blanked(field, placeholder) for field in fields})


def placeholder_bsn(client_id: int) -> str:
    """What replaces the BSN: 9 characters (the column's length), unique per client, and never a valid
    BSN (it starts with a letter, so it fails the elfproef and no iWmo message can carry it)."""
    return f"X{client_id:08d}"


def _anonymise_case_file(client: Client, *, now: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}

    def note(model, n: int) -> None:
        if n:
            counts[model._meta.label_lower] = counts.get(model._meta.label_lower, 0) + n

    # The client: the BSN by its placeholder, names, address and contact data removed. Kept: the
    # municipality, the gender and the year of birth (1 January of it), for the monitor's figures.
    note(
        Client,
        Client.objects.filter(pk=client.pk).update(
            bsn=placeholder_bsn(client.pk),
            initials="",
            first_name="",
            name_prefix="",
            last_name=PLACEHOLDER,
            date_of_birth=date(client.date_of_birth.year, 1, 1),
            street="",
            house_number="",
            postcode="",
            city="",
            phone="",
            email="",
            anonymised_at=now,
        ),
    )
    of_client = {"client": client}
    of_melding = {"melding__client": client}
    of_intake = {"intake__melding__client": client}
    of_indication = {"indication__client": client}
    texts = [
        (Melding, of_client, ["question"]),
        (
            Intake,
            of_melding,
            ["no_conversation_reason", "persoonlijk_plan_note", "report", "nazorg_notes", "mantelzorg_notes"],
        ),
        (
            Conversation,
            of_intake,
            [
                "need_notes",
                "own_strength_notes",
                "network_notes",
                "general_provisions_notes",
                "other_laws_notes",
                "current_provisions_notes",
            ],
        ),
        (Mantelzorger, of_intake, ["name", "tasks_notes", "notes"]),
        (
            Indication,
            of_client,
            [
                "opslag_motivation",
                "retroactive_motivation",
                "verblijf_motivation",
                "extramural_cost_motivation",
                "mantelzorg_motivation",
                "refusal_motivation",
                "end_reason",
                "status_reason",
            ],
        ),
        (IndicationResult, of_indication, ["goal"]),
        (IndicationStatusChange, of_indication, ["reason"]),
        (Evaluation, of_indication, ["notes"]),
        (ResultProgress, {"evaluation__indication__client": client}, ["note"]),
        (Review, of_indication, ["motivation"]),
        (ReviewQuestion, {"review__indication__client": client}, ["question", "answer"]),
        (PgbBudget, of_indication, ["representative_name", "able_to_manage_note", "motivated_note", "quality_note"]),
        (QualityCheck, of_indication, ["conclusion"]),
        (QualityAnswer, {"quality_check__indication__client": client}, ["note"]),
        (OtherProvision, of_client, ["notes"]),
        (EmergencyAccess, of_client, ["reason"]),
    ]
    for model, lookup, fields in texts:
        note(model, blank_texts(model.objects.filter(**lookup), fields))
    return counts


def execute_destruction(proposal, *, by, today: date | None = None, now: datetime | None = None) -> DestructionProposal:
    """Carry out an approved proposal: anonymise the client's file, here and (through the
    client_anonymised hook) in the apps above, in one transaction. Refused when the file is held or
    no longer closed (then the proposal lapses at night). Records counts per table, never contents."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _lock(proposal)
        if proposal.status != S.APPROVED:
            raise InvalidDestructionMove(
                _("Alleen een goedgekeurd voorstel kan worden uitgevoerd."), code="not_approved"
            )
        _ensure_not_held(proposal)
        if (
            not closed_client_files(today=today, years=proposal.retention_years, holds=False)
            .filter(pk=proposal.client_id)
            .exists()
        ):
            raise ValidationError(_("Dit dossier is niet meer gesloten; het wordt niet vernietigd."), code="not_closed")
        client = Client.objects.select_for_update().get(pk=proposal.client_id)
        counts = _anonymise_case_file(client, now=now)
        change = hooks.ClientAnonymisation(client_id=client.pk, placeholder=PLACEHOLDER, by=by, today=today)
        for callback in hooks.client_anonymised.callbacks:
            for label, n in callback(change).items():
                if n:
                    counts[label] = counts.get(label, 0) + n
        proposal.executed_by = by
        proposal.executed_at = now
        proposal.counts = dict(sorted(counts.items()))
        _move(proposal, S.EXECUTED, by=by, note="")
        record_event(
            actor=by,
            action=AuditEvent.Action.DELETE,
            obj=client,
            client_id=client.pk,
            summary=f"dossier geanonimiseerd na bewaartermijn ({sum(counts.values())} rijen)",
            changes={"per_table": proposal.counts},
            # The event about the anonymised client carries its placeholder, not the BSN it had.
            bsn=placeholder_bsn(client.pk),
        )
    return proposal
