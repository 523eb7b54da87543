"""Toewijzingen and the providers' reports (start, stop, verzoek om wijziging), as providers/services.py makes them."""

from __future__ import annotations

from datetime import date, timedelta

from indications.models import Product
from providers.codes import (
    UNIT_OUTPUT,
    RedenAfwijzingVerzoek,
    RedenBeeindiging,
    RedenVerzoek,
    RedenWijziging,
    VerzoekAntwoord,
)
from providers.models import Assignment, CareEvent, ChangeRequest, Provider
from providers.services import apply_assignment_end

from .figures import CHANGE_ANSWERS, CHANGE_MOTIVATIONS
from .rows import AssignmentRow, CareEventRow, ChangeRequestRow, ClientState, IndicationRow, Rows


class ToewijzingMixin:
    """Part of the Generator: toewijzingen, care events and change requests."""

    def _assign(self, rows: Rows, ind: IndicationRow, day: date, reason: str = "") -> None:
        """At vaststelling: end the assignments of the replaced beschikking, assign this one."""
        if ind.replaces is not None:
            self._end_assignments(
                ind.replaces,
                end_date=ind.start_date - timedelta(days=1),
                reason=reason or RedenWijziging.VERLENGING,
                day=day,
            )
        ind.demo_assignments = []
        if ind.provider is not None:
            self._new_assignment(rows, ind, ind.provider, start=ind.start_date, day=day)

    def _new_assignment(self, rows: Rows, ind: IndicationRow, provider: Provider, *, start: date, day: date):
        assignment = AssignmentRow(
            indication=ind,
            provider=provider,
            product=ind.product,
            assigned_on=day,
            start_date=start,
            end_date=ind.end_date,
            unit=UNIT_OUTPUT,
            created_at=ind.demo_clock.at(day),
        )
        rows.assignments.append(assignment)
        ind.demo_assignments.append(assignment)
        return assignment

    def _end_assignments(self, ind: IndicationRow, *, end_date: date, reason: str, day: date) -> None:
        """end_assignments_of: the active assignments end with the beschikking (or are withdrawn), by
        the service's own rule (the first change reason stands)."""
        for assignment in getattr(ind, "demo_assignments", []):
            if assignment.status == Assignment.Status.ACTIVE:
                apply_assignment_end(assignment, end_date=end_date, reason=reason, today=day)

    def _message(
        self,
        rows: Rows,
        assignment: AssignmentRow,
        kind: str,
        received: date,
        *,
        event_date=None,
        reason: str = "",
        status: int = 200,
    ) -> CareEvent:
        """A provider's message as the API keeps it (the stored answer is a summary of the toewijzing)."""
        event = CareEventRow(
            provider=assignment.provider,
            assignment=assignment,
            message_id=f"{self.rng.getrandbits(64):016x}",
            kind=kind,
            event_date=event_date,
            reason=reason,
            accepted=True,
            response_status=status,
            received_at=self._at(received),
        )
        started, stopped = assignment.care_started_on, assignment.care_stopped_on
        event.demo_body = {
            "status": str(assignment.status),
            "zorgGestartOp": started and started.isoformat(),
            "zorgGestoptOp": stopped and stopped.isoformat(),
            "redenBeeindiging": assignment.stop_reason,
        }
        rows.care_events.append(event)
        return event

    def _care_start(self, rows: Rows, assignment: AssignmentRow) -> None:
        """Start zorg (WMO305), usually within days; some reports come late or not (yet)."""
        rng, today = self.rng, self.today
        started = assignment.start_date + timedelta(
            days=rng.randint(0, 10) if rng.random() < 0.95 else rng.randint(11, 30)
        )
        if assignment.end_date is not None:
            started = min(started, assignment.end_date)
        received = max(
            assignment.assigned_on,
            started + timedelta(days=rng.randint(0, 5) if rng.random() < 0.9 else rng.randint(8, 25)),
        )
        if received > today or rng.random() < 0.02:
            return
        assignment.care_started_on = started
        self._message(rows, assignment, CareEvent.Kind.START, received, event_date=started)

    def _care_stop(self, rows: Rows, assignment: AssignmentRow, on: date, code: str, received: date) -> None:
        """Stop zorg (WMO307) with its reden beëindiging (WMO588)."""
        if (
            assignment.care_started_on is None
            or on < assignment.care_started_on
            or received > self.today
            or assignment.care_stopped_on is not None
            or assignment.status == Assignment.Status.WITHDRAWN
        ):
            return
        assignment.care_stopped_on, assignment.stop_reason = on, code
        assignment.status = Assignment.Status.ENDED
        if assignment.end_date is None or on < assignment.end_date:  # record_care_stop shortens the toewijzing
            assignment.end_date = on
        self._message(rows, assignment, CareEvent.Kind.STOP, received, event_date=on, reason=code)

    def _close_assignments(self, rows: Rows, ind: IndicationRow, *, on: date, code: str, ended_on_day: date) -> None:
        """Care ends on `on`: the provider reports the stop (mostly), the beschikking ends on ended_on_day.
        Whichever comes first decides what the assignment looks like, as in the services."""
        rng = self.rng
        current = next(
            (a for a in reversed(getattr(ind, "demo_assignments", [])) if a.status == Assignment.Status.ACTIVE), None
        )
        report = on + timedelta(days=rng.randint(0, 10)) if current is not None and rng.random() < 0.9 else None
        if report is not None and report < ended_on_day:
            self._care_stop(rows, current, on, code, report)
        self._end_assignments(ind, end_date=on, reason=RedenWijziging.VERKORTING, day=ended_on_day)
        if report is not None and report >= ended_on_day:
            self._care_stop(rows, current, on, code, report)

    def _change_provider(self, rows: Rows, state: ClientState, ind: IndicationRow, on: date) -> None:
        """Overstap naar een andere aanbieder (change_provider), recorded just after `on`; the old
        provider reports the stop (38) afterwards."""
        rng, today = self.rng, self.today
        others = [p for p in self.ref.providers[state.group] if p != ind.provider and self._covered(p, ind.product, on)]
        old = next((a for a in ind.demo_assignments if a.status == Assignment.Status.ACTIVE), None)
        if not others or old is None:
            return
        recorded = min(today, on + timedelta(days=rng.randint(0, 2)))
        self._end_assignments(
            ind, end_date=on - timedelta(days=1), reason=RedenWijziging.ANDERE_AANBIEDER, day=recorded
        )
        self._care_stop(
            rows,
            old,
            on - timedelta(days=1),
            RedenBeeindiging.ANDERE_AANBIEDER,
            min(today, recorded + timedelta(days=rng.randint(0, 7))),
        )
        ind.provider = state.provider = rng.choice(others)
        self._care_start(rows, self._new_assignment(rows, ind, ind.provider, start=on, day=recorded))

    def _change_request(
        self,
        rows: Rows,
        ind: IndicationRow,
        *,
        created: date,
        product: Product | None = None,
        end_date: date | None = None,
        answer: str = "",
        answered: date | None = None,
        follow_up: IndicationRow | None = None,
    ) -> ChangeRequestRow | None:
        """A verzoek om wijziging (WMO317) on the active assignment; open, granted or refused."""
        assignment = next(
            (
                a
                for a in getattr(ind, "demo_assignments", [])
                if a.status == Assignment.Status.ACTIVE and a.start_date <= created
            ),
            None,
        )
        if assignment is None or (product is None and end_date is None):
            return None
        statuses = ChangeRequest.Status
        request = ChangeRequestRow(
            assignment=assignment,
            requested_product=product,
            requested_end_date=end_date,
            motivation=self.rng.choice(CHANGE_MOTIVATIONS["product" if product else "end_date"]),
            status=statuses.OPEN
            if not answer
            else statuses.GRANTED
            if follow_up or answer == "granted"
            else statuses.REFUSED,
            created_at=self._at(created),
            # WJ758 without a draw (the demo's random sequence stays as it was): a product change
            # follows a changed zorgplan, a longer end date a changed situation.
            request_reason=RedenVerzoek.ZORGPLAN if product else RedenVerzoek.CLIENTSITUATIE,
        )
        if answer:
            request.answered_by, request.answered_at = ind.consultant, self._at(answered)
            request.answer_reason = self.rng.choice(CHANGE_ANSWERS[request.status])
            request.follow_up = follow_up
            if request.status == statuses.REFUSED:  # WJ760 1 with a WJ759 reason, as the service requires
                request.answer_kind = VerzoekAntwoord.AFGEWEZEN
                request.refusal_reason = RedenAfwijzingVerzoek.ZORGINHOUDELIJK
        rows.change_requests.append(request)
        self._message(rows, assignment, CareEvent.Kind.CHANGE_REQUEST, created, status=201)
        return request
