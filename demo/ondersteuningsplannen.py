"""The providers' ondersteuningsplannen, as providers/support_plans.py makes them: most started
toewijzingen get a plan (a text per result of the beschikking) within the term after the start of
care and the consultant accepts it; some wait for a judgement, some had changes asked (most answered
with a new version), and a few have none: the signal ondersteuningsplan_ontbreekt."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from providers.models import Assignment, SupportPlan

from .rows import AssignmentRow, Rows, SupportPlanPartRow, SupportPlanRow

APPROACHES = [
    "Wekelijks huisbezoek; samen met de cliënt oefenen en het overzicht bijhouden.",
    "Twee keer per week begeleiding thuis, afnemend naarmate de cliënt het zelf kan.",
    "Samen een weekplanning maken en die elke week bespreken; het netwerk helpt mee.",
    "Praktische ondersteuning bij de eerste stappen, daarna coaching op afstand.",
]
STEPS = [
    "1. Overzicht maken. 2. Afspraken vastleggen. 3. Zelf uitvoeren met steun op afroep.",
    "Maand 1-2: samen doen; maand 3-4: cliënt doet het, begeleider kijkt mee; daarna evalueren.",
    "Eerst de urgente zaken regelen, dan een vaste routine opbouwen en het netwerk inschakelen.",
]
REMARKS = [
    "Maak de stappen concreet: wat doet de cliënt zelf en wanneer?",
    "Het plan noemt niet alle resultaten uit de beschikking; vul het aan.",
    "Betrek het netwerk van de cliënt in het plan, zoals afgesproken in het onderzoek.",
]


class SupportPlanMixin:
    """Part of the Generator: the ondersteuningsplannen of a chunk's toewijzingen."""

    def add_support_plans(self, rows: Rows) -> None:
        term = settings.SDD["SUPPORT_PLAN_TERM_DAYS"]
        for assignment in rows.assignments:
            if assignment.care_started_on is None or assignment.status == Assignment.Status.WITHDRAWN:
                continue
            self._support_plan_history(rows, assignment, term)

    def _runs_past_the_term(self, assignment: AssignmentRow, term: int) -> bool:
        running = assignment.care_stopped_on is None and (
            assignment.end_date is None or assignment.end_date > self.today
        )
        return running and assignment.care_started_on + timedelta(days=term) < self.today

    def _last_plan_day(self, assignment: AssignmentRow) -> date:
        """The last day a plan is taken: while the toewijzing runs and care has not stopped."""
        days = [self.today]
        if assignment.end_date is not None:
            days.append(assignment.end_date)
        if assignment.care_stopped_on is not None:
            days.append(assignment.care_stopped_on - timedelta(days=1))
        return min(days)

    def _support_plan_history(self, rows: Rows, assignment: AssignmentRow, term: int) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            return  # none: after the term, the signal
        if not getattr(self, "_plan_missing_shown", False) and self._runs_past_the_term(assignment, term):
            # However the draws fall, the demo shows the signal: the first toewijzing still running
            # past the term gets no plan.
            self._plan_missing_shown = True
            return
        started, last = assignment.care_started_on, self._last_plan_day(assignment)
        late = roll > 0.95
        submitted = started + timedelta(days=rng.randint(term + 1, term + 30) if late else rng.randint(5, term - 2))
        version = 1
        while submitted <= last:
            plan = self._support_plan(rows, assignment, version, submitted)
            judged = submitted + timedelta(days=rng.randint(2, 10))
            if judged > self.today:
                return  # waiting for the consultant
            plan.judged_on, plan.judged_by = judged, assignment.indication.consultant
            if version > 1 or rng.random() < 0.8:
                plan.status = SupportPlan.Status.ACCEPTED
                return
            plan.status, plan.remark = SupportPlan.Status.CHANGES_REQUESTED, rng.choice(REMARKS)
            if rng.random() < 0.25:
                return  # no new version (yet): after the term, the signal
            submitted, version = judged + timedelta(days=rng.randint(3, term - 2)), version + 1

    def _support_plan(self, rows: Rows, assignment: AssignmentRow, version: int, day: date) -> SupportPlanRow:
        rng = self.rng
        plan = SupportPlanRow(
            assignment=assignment, version=version, status=SupportPlan.Status.SUBMITTED, submitted_at=self._at(day)
        )
        rows.support_plans.append(plan)
        for result in assignment.indication.demo_results:
            rows.support_plan_parts.append(
                SupportPlanPartRow(
                    plan=plan, indication_result=result, approach=rng.choice(APPROACHES), steps=rng.choice(STEPS)
                )
            )
        return plan
