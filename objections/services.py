"""Every write on a bezwaar: register it, record the procedure (hoorzitting, adviescommissie,
verdaging, instemming, ingebrekestelling) and decide it. Each service validates, writes atomically
with its audit event and tells the signal engine the client's case changed (indications.hooks).

A decided bezwaar is final: ALLOWED_MOVES lets only an open one move, every service refuses a
decided one, and the database keeps the decision's date, decider and motivation together."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.services import record_event
from indications.hooks import case_changed
from indications.models import Indication

from . import deadlines
from . import letters as bezwaar_letters
from .models import Bezwaar, BezwaarStatus, BezwaarStatusChange, FiledBy

S = BezwaarStatus
ALLOWED_MOVES: dict[str, set[str]] = {
    S.OPEN: {S.GEGROND, S.ONGEGROND, S.NIET_ONTVANKELIJK, S.INGETROKKEN},
    S.GEGROND: set(),
    S.ONGEGROND: set(),
    S.NIET_ONTVANKELIJK: set(),
    S.INGETROKKEN: set(),
}
# The outcomes that judge the bezwaar on its merits: not open to a late one that is not excusable (6:11).
ON_THE_MERITS = (S.GEGROND, S.ONGEGROND)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _fail(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _error(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _lock(bezwaar: Bezwaar) -> Bezwaar:
    return Bezwaar.objects.select_for_update().get(pk=bezwaar.pk)


def _ensure_open(bezwaar: Bezwaar) -> None:
    if not ALLOWED_MOVES[bezwaar.status]:
        raise ValidationError(_("Op dit bezwaar is al beslist: de beslissing is definitief."), code="final")


def _save(bezwaar: Bezwaar, *, by, action: str, summary: str, changes: dict | None = None) -> Bezwaar:
    bezwaar.full_clean()
    bezwaar.save()
    record_event(
        actor=by,
        action=action,
        obj=bezwaar,
        client_id=bezwaar.beschikking.client_id,
        summary=summary,
        changes=changes,
    )
    return bezwaar


def _recompute_due(bezwaar: Bezwaar) -> None:
    bezwaar.decision_due = deadlines.effective_due(
        letter_date=bezwaar.letter_date,
        advisory_committee=bezwaar.advisory_committee,
        extended=bezwaar.extended,
        consent_until=bezwaar.consent_until,
    )


def letter_date_of(beschikking: Indication) -> date | None:
    """The date of the contested letter: the beschikking's decision date (its dagtekening) until the
    letters app records the sent letter's own date."""
    return beschikking.decision_date


def _registration_errors(beschikking: Indication, values: dict, *, today: date) -> dict:
    errors: dict[str, list] = {}
    letter_date = letter_date_of(beschikking)
    received_on = values["received_on"]
    if letter_date is None:
        errors["beschikking"] = [
            _error(_("Tegen deze indicatie is nog niet beslist: er is geen beschikking."), "undecided")
        ]
    elif received_on < letter_date:
        errors["received_on"] = [
            _error(_("Het bezwaar kan niet vóór de datum van de beschikking zijn ontvangen."), "before_letter")
        ]
    if received_on > today:
        errors["received_on"] = [_error(_("De ontvangstdatum kan niet in de toekomst liggen."), "future")]
    posted_on = values.get("posted_on")
    if posted_on and posted_on > received_on:
        errors["posted_on"] = [_error(_("De postdatum kan niet na de ontvangstdatum liggen."), "posted_after_received")]
    if values.get("filed_by") == FiledBy.REPRESENTATIVE and not values.get("representative_name", "").strip():
        errors["representative_name"] = [_error(_("Vul de naam van de vertegenwoordiger in."), "required")]
    if not values.get("grounds", "").strip():
        errors["grounds"] = [_error(_("Vul de gronden van het bezwaar in (art. 6:5 Awb)."), "required")]
    if values.get("hearing_on") and not values.get("hearing"):
        errors["hearing_on"] = [_error(_("Een datum hoort alleen bij een hoorzitting."), "no_hearing")]
    if Bezwaar.objects.filter(beschikking=beschikking, status=S.OPEN).exists():
        errors["beschikking"] = [_error(_("Tegen deze beschikking loopt al een bezwaar."), "already_open")]
    return errors


def _late_errors(*, in_time: bool, excusable: bool, motivation: str) -> dict:
    if excusable and in_time:
        return {"late_excusable": [_error(_("Het bezwaar is op tijd: er is niets te verschonen."), "not_late")]}
    if excusable and not motivation.strip():
        return {
            "late_motivation": [
                _error(_("Motiveer waarom de termijnoverschrijding verschoonbaar is (art. 6:11 Awb)."), "required")
            ]
        }
    return {}


@transaction.atomic
def register_bezwaar(
    beschikking: Indication,
    *,
    by,
    received_on: date,
    grounds: str,
    filed_by: str = FiledBy.CLIENT,
    representative_name: str = "",
    representative_address: str = "",
    posted_on: date | None = None,
    hearing: bool = False,
    hearing_on: date | None = None,
    advisory_committee: bool = False,
    late_excusable: bool = False,
    late_motivation: str = "",
    today: date | None = None,
) -> Bezwaar:
    """Register a bezwaar against a beschikking with its deadlines: the bezwaartermijn (Awb 6:7, 6:8),
    whether it was lodged in time (6:9) or late but excusable (6:11), and the decision term (7:10);
    the objector gets the ontvangstbevestiging (to the representative when an address is given)."""
    today = _today(today)
    beschikking = Indication.objects.select_for_update().get(pk=beschikking.pk)
    values = {
        "received_on": received_on,
        "posted_on": posted_on,
        "filed_by": filed_by,
        "representative_name": representative_name,
        "grounds": grounds,
        "hearing": hearing,
        "hearing_on": hearing_on,
    }
    errors = _registration_errors(beschikking, values, today=today)
    _fail(errors)
    letter_date = letter_date_of(beschikking)
    in_time = deadlines.filed_in_time(letter_date=letter_date, received_on=received_on, posted_on=posted_on)
    _fail(_late_errors(in_time=in_time, excusable=late_excusable, motivation=late_motivation))
    bezwaar = Bezwaar(
        beschikking=beschikking,
        received_on=received_on,
        posted_on=posted_on,
        filed_by=filed_by,
        representative_name=representative_name.strip() if filed_by == FiledBy.REPRESENTATIVE else "",
        representative_address=representative_address.strip() if filed_by == FiledBy.REPRESENTATIVE else "",
        grounds=grounds.strip(),
        letter_date=letter_date,
        bezwaartermijn_end=deadlines.bezwaartermijn_end(letter_date),
        filed_in_time=in_time,
        late_excusable=late_excusable,
        late_motivation=late_motivation.strip(),
        hearing=hearing,
        hearing_on=hearing_on,
        advisory_committee=advisory_committee,
        handled_by=by,
    )
    _recompute_due(bezwaar)
    _save(bezwaar, by=by, action=AuditEvent.Action.CREATE, summary=f"bezwaar tegen {beschikking.number}")
    bezwaar_letters.issue_receipt(bezwaar, by=by, today=today)
    case_changed(beschikking.client_id, today=today)
    return bezwaar


@transaction.atomic
def update_procedure(
    bezwaar: Bezwaar, *, by, hearing: bool, hearing_on: date | None, advisory_committee: bool, today: date | None = None
) -> Bezwaar:
    """Record whether a hearing is held (and when, Awb 7:2) and whether an advisory committee advises
    (7:13), which sets the decision term to 12 weeks instead of 6 (7:10 lid 1)."""
    bezwaar = _lock(bezwaar)
    _ensure_open(bezwaar)
    if hearing_on and not hearing:
        _fail({"hearing_on": [_error(_("Een datum hoort alleen bij een hoorzitting."), "no_hearing")]})
    before = {
        "hearing": bezwaar.hearing,
        "hearing_on": bezwaar.hearing_on,
        "advisory_committee": bezwaar.advisory_committee,
    }
    bezwaar.hearing, bezwaar.hearing_on, bezwaar.advisory_committee = hearing, hearing_on, advisory_committee
    _recompute_due(bezwaar)
    after = {"hearing": hearing, "hearing_on": hearing_on, "advisory_committee": advisory_committee}
    changes = {key: [str(before[key]), str(after[key])] for key in after if before[key] != after[key]}
    _save(bezwaar, by=by, action=AuditEvent.Action.UPDATE, summary="procedure bezwaar", changes=changes)
    case_changed(bezwaar.beschikking.client_id, today=_today(today))
    return bezwaar


@transaction.atomic
def extend_decision_term(bezwaar: Bezwaar, *, by, reason: str, today: date | None = None) -> Bezwaar:
    """Defer the decision once by six weeks, with the reason recorded (Awb 7:10 lid 3) and sent to the
    objector in the verdagingsbrief. The deferral must be sent before the term ends; a second one needs
    the objector's consent (lid 4)."""
    today = _today(today)
    bezwaar = _lock(bezwaar)
    _ensure_open(bezwaar)
    errors = {}
    if bezwaar.extended:
        errors["reason"] = [
            _error(
                _("De beslissing is al eens verdaagd; verder uitstel kan alleen met instemming (art. 7:10 lid 4 Awb)."),
                "already_extended",
            )
        ]
    elif bezwaar.decision_due < today:
        errors["reason"] = [
            _error(_("De beslistermijn is al verstreken: verdagen kan alleen binnen de termijn."), "term_passed")
        ]
    if not reason.strip():
        errors["reason"] = [_error(_("Vul de reden van de verdaging in."), "required")]
    _fail(errors)
    bezwaar.extended, bezwaar.extension_reason = True, reason.strip()
    old_due = bezwaar.decision_due
    _recompute_due(bezwaar)
    _save(
        bezwaar,
        by=by,
        action=AuditEvent.Action.UPDATE,
        summary="beslistermijn verdaagd",
        changes={"decision_due": [old_due.isoformat(), bezwaar.decision_due.isoformat()]},
    )
    bezwaar_letters.issue_extension(bezwaar, previous_due=old_due, by=by, today=today)
    case_changed(bezwaar.beschikking.client_id, today=today)
    return bezwaar


@transaction.atomic
def record_consent(bezwaar: Bezwaar, *, by, until: date, note: str, today: date | None = None) -> Bezwaar:
    """Further deferral with the objector's consent (Awb 7:10 lid 4): to a date after the term in force."""
    today = _today(today)
    bezwaar = _lock(bezwaar)
    _ensure_open(bezwaar)
    errors = {}
    if until <= bezwaar.decision_due:
        errors["until"] = [_error(_("Kies een datum na de huidige uiterste beslisdatum."), "not_later")]
    if not note.strip():
        errors["note"] = [_error(_("Leg vast hoe en wanneer de indiener instemde."), "required")]
    _fail(errors)
    old_due = bezwaar.decision_due
    bezwaar.consent_until, bezwaar.consent_note = until, note.strip()
    _recompute_due(bezwaar)
    _save(
        bezwaar,
        by=by,
        action=AuditEvent.Action.UPDATE,
        summary="uitstel met instemming",
        changes={"decision_due": [old_due.isoformat(), bezwaar.decision_due.isoformat()]},
    )
    case_changed(bezwaar.beschikking.client_id, today=today)
    return bezwaar


@transaction.atomic
def record_ingebrekestelling(bezwaar: Bezwaar, *, by, received_on: date, today: date | None = None) -> Bezwaar:
    """The objector's written ingebrekestelling (Awb 4:17 lid 3): from two weeks after it (and after
    the term passed) the dwangsom runs."""
    today = _today(today)
    bezwaar = _lock(bezwaar)
    _ensure_open(bezwaar)
    errors = {}
    if received_on > today:
        errors["received_on"] = [_error(_("De ontvangstdatum kan niet in de toekomst liggen."), "future")]
    elif received_on <= bezwaar.decision_due:
        # One sent before the term passed is premature and does not count (case law on Awb 4:17).
        errors["received_on"] = [
            _error(
                _("Een ingebrekestelling telt pas na de uiterste beslisdatum (%(date)s).")
                % {"date": bezwaar.decision_due.strftime("%d-%m-%Y")},
                "premature",
            )
        ]
    if bezwaar.ingebrekestelling_on is not None:
        errors["received_on"] = [_error(_("De ingebrekestelling is al vastgelegd."), "already_recorded")]
    _fail(errors)
    bezwaar.ingebrekestelling_on = received_on
    _save(
        bezwaar,
        by=by,
        action=AuditEvent.Action.UPDATE,
        summary="ingebrekestelling ontvangen",
        changes={"ingebrekestelling_on": [None, received_on.isoformat()]},
    )
    case_changed(bezwaar.beschikking.client_id, today=today)
    return bezwaar


def _herziening_errors(bezwaar: Bezwaar, herziening: Indication | None) -> dict:
    """Gegrond: the beschikking is changed through the normal indications flow (a new indication that
    replaces it, four eyes where the rules ask, vaststelling); here it is only chosen and checked."""
    if herziening is None:
        return {
            "herziening": [_error(_("Kies de nieuwe beschikking die de bestreden beschikking herziet."), "required")]
        }
    if (
        herziening.pk == bezwaar.beschikking_id
        or herziening.client_id != bezwaar.beschikking.client_id
        or herziening.decision_date is None
        or herziening.decision_date < bezwaar.received_on
    ):
        return {
            "herziening": [
                _error(_("Kies een beschikking van deze cliënt die na het bezwaar is vastgesteld."), "invalid")
            ]
        }
    return {}


def issue_outcome_letter(bezwaar: Bezwaar, *, by, today: date):
    """The beslissing op bezwaar (or the confirmed withdrawal) to the objector, in the decision's
    transaction: a decision never goes without its letter; its PDF renders after commit."""
    return bezwaar_letters.issue_outcome(bezwaar, by=by, today=today)


def _decide(
    bezwaar: Bezwaar,
    target: str,
    *,
    by,
    motivation: str,
    decided_on: date | None,
    today: date | None,
    herziening: Indication | None = None,
) -> Bezwaar:
    today = _today(today)
    decided_on = decided_on or today
    bezwaar = _lock(bezwaar)
    _ensure_open(bezwaar)
    errors: dict[str, list] = {}
    if target not in ALLOWED_MOVES[bezwaar.status]:
        errors["outcome"] = [_error(_("Deze beslissing is niet mogelijk."), "invalid_move")]
    if target in ON_THE_MERITS and not bezwaar.filed_in_time and not bezwaar.late_excusable:
        errors["outcome"] = [
            _error(
                _("Het bezwaar is te laat ingediend en niet verschoonbaar: het is niet-ontvankelijk (art. 6:11 Awb)."),
                "late",
            )
        ]
    if not motivation.strip():
        errors["motivation"] = [_error(_("Vul de motivering van de beslissing in."), "required")]
    if decided_on > today:
        errors["decided_on"] = [_error(_("De beslisdatum kan niet in de toekomst liggen."), "future")]
    elif decided_on < bezwaar.received_on:
        errors["decided_on"] = [
            _error(_("De beslisdatum kan niet vóór de ontvangst van het bezwaar liggen."), "before_bezwaar")
        ]
    if target == S.GEGROND:
        errors.update(_herziening_errors(bezwaar, herziening))
    _fail(errors)
    source = bezwaar.status
    bezwaar.status, bezwaar.decided_on, bezwaar.decided_by = target, decided_on, by
    bezwaar.decision_motivation = motivation.strip()
    bezwaar.herziening = herziening if target == S.GEGROND else None
    _save(
        bezwaar,
        by=by,
        action=AuditEvent.Action.TRANSITION,
        summary=f"{source} → {target}",
        changes={"status": [source, target]},
    )
    BezwaarStatusChange.objects.create(
        bezwaar=bezwaar, from_status=source, to_status=target, by=by, reason=bezwaar.decision_motivation
    )
    issue_outcome_letter(bezwaar, by=by, today=today)
    case_changed(bezwaar.beschikking.client_id, today=today)
    return bezwaar


@transaction.atomic
def declare_gegrond(
    bezwaar: Bezwaar,
    *,
    by,
    motivation: str,
    herziening: Indication | None = None,
    decided_on: date | None = None,
    today: date | None = None,
) -> Bezwaar:
    """Gegrond (Awb 7:11 lid 2): the contested beschikking is revoked and a new one takes its place,
    made through the normal indications services and their four eyes; `herziening` is that one."""
    return _decide(
        bezwaar, S.GEGROND, by=by, motivation=motivation, decided_on=decided_on, today=today, herziening=herziening
    )


@transaction.atomic
def declare_ongegrond(
    bezwaar: Bezwaar, *, by, motivation: str, decided_on: date | None = None, today: date | None = None
) -> Bezwaar:
    """Ongegrond: the beschikking stands after the heroverweging (Awb 7:11 lid 1)."""
    return _decide(bezwaar, S.ONGEGROND, by=by, motivation=motivation, decided_on=decided_on, today=today)


@transaction.atomic
def declare_niet_ontvankelijk(
    bezwaar: Bezwaar, *, by, motivation: str, decided_on: date | None = None, today: date | None = None
) -> Bezwaar:
    """Niet-ontvankelijk: not treated on its merits, e.g. late and not excusable (Awb 6:11) or a
    defect not repaired (6:6)."""
    return _decide(bezwaar, S.NIET_ONTVANKELIJK, by=by, motivation=motivation, decided_on=decided_on, today=today)


@transaction.atomic
def record_withdrawal(
    bezwaar: Bezwaar, *, by, motivation: str, decided_on: date | None = None, today: date | None = None
) -> Bezwaar:
    """Ingetrokken: the objector withdrew the bezwaar (Awb 6:21); `motivation` records how and when."""
    return _decide(bezwaar, S.INGETROKKEN, by=by, motivation=motivation, decided_on=decided_on, today=today)


DECISIONS = {
    S.GEGROND: declare_gegrond,
    S.ONGEGROND: declare_ongegrond,
    S.NIET_ONTVANKELIJK: declare_niet_ontvankelijk,
    S.INGETROKKEN: record_withdrawal,
}
