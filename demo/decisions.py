"""Decisions on an aanvraag besides the full toekenning: the afwijzing (with its ground, motivation and
four eyes, vastgesteld as afgewezen, no toewijzing) and the gedeeltelijke toekenning (the aanvraag asked
a heavier product or a longer period than granted), as indications.decisions and the vaststelling
leave them."""

from __future__ import annotations

from datetime import date, timedelta

from indications.decisions import partial_reasons
from indications.models import ComplexityRule, DecisionOutcome, Indication, IndicationStatus, RefusalGround

from .figures import PARTIAL_MOTIVATIONS, PARTIAL_SHARE, REFUSAL_GROUNDS, REFUSAL_MOTIVATIONS, Plan
from .rows import AanvraagRow, ClientState, IndicationRow, Rows
from .timestamps import Clock

S = IndicationStatus
Rule = ComplexityRule.Kind


class DecisionMixin:
    """Part of the Generator: what an aanvraag asked, and the decisions that grant less or nothing."""

    def _requested(self, aanvraag: AanvraagRow, ind: IndicationRow, plan: Plan) -> None:
        """What the aanvraag asked: what is granted, or (PARTIAL_SHARE) a heavier product or a longer
        period than the grant, which then motivates the part refused."""
        rng = self.rng
        aanvraag.requested_product, aanvraag.requested_opslag = ind.product, ind.opslag
        if plan.forced or rng.random() >= PARTIAL_SHARE:
            return
        heavier = sorted(
            (p for p in self.ref.products.values() if p.age_limit is None and p.level > ind.product.level),
            key=lambda p: p.level,
        )
        if heavier and (ind.end_date is None or rng.random() < 0.5):
            aanvraag.requested_product = heavier[0]
        elif ind.end_date is not None:
            aanvraag.requested_end_date = ind.end_date + timedelta(weeks=rng.choice([13, 26, 52]))
        else:
            return
        ind.refusal_motivation = rng.choice(PARTIAL_MOTIVATIONS)

    def _outcome(self, ind: IndicationRow) -> None:
        """The outcome the vaststelling stores for a grant: whole or partial, derived from the aanvraag."""
        ind.outcome = DecisionOutcome.GEDEELTELIJK if partial_reasons(ind) else DecisionOutcome.TOEKENNING

    def _refusal_findings(self, ind: IndicationRow) -> list:
        """The active complexity rules an afwijzing meets, as four_eyes.complexity_findings finds them."""
        findings = []
        for rule in self.ref.rules:
            reason = ""
            if rule.kind == Rule.REFUSAL:
                reason = f"Afwijzing van de aanvraag ({RefusalGround(ind.refusal_ground).label})."
            elif rule.kind == Rule.MANUAL and ind.four_eyes_requested:
                reason = "De consulent vraagt om vier ogen."
            if reason:
                findings.append({"code": rule.kind, "rule": rule.name, "reason": reason})
        return findings

    def _refuse(
        self, rows: Rows, state: ClientState, plan: Plan, *, aanvraag: AanvraagRow, created: date, decision: date
    ) -> date:
        """The aanvraag refused: a concept afwijzing, four eyes where a rule asks for it, then afgewezen.
        Returns the day of the decision (the trajectory ends there)."""
        rng = self.rng
        product = self._first_product(state, decision, plan)
        grounds = dict(REFUSAL_GROUNDS)
        if self._age(state, decision) >= 18:
            grounds.pop(RefusalGround.JEUGDWET)
        ground = rng.choices(list(grounds), weights=list(grounds.values()))[0]
        aanvraag.requested_product = product
        ind = IndicationRow(
            client=state.client,
            aanvraag=aanvraag,
            kind=Indication.Kind.FIRST,
            product=product,
            start_date=aanvraag.received_on,
            end_date=None,
            provider=None,
            status=S.CONCEPT,
            consultant=state.consultant,
            outcome=DecisionOutcome.AFWIJZING,
            refusal_ground=ground,
            refusal_motivation=REFUSAL_MOTIVATIONS[ground],
            four_eyes_requested=rng.random() < 0.02,
        )
        ind.demo_results = []
        rows.level(0).append(ind)
        clock = Clock(rng, self.tz)
        created = min(created, decision)
        ind.created_at = clock.at(created)
        findings = self._refusal_findings(ind)
        if findings:
            self._review(rows, ind, findings, clock, first=created, last=decision, outcome="approved")
        ind.decision_date = decision
        ind.demo_clock = clock
        self._move(rows, ind, S.AFGEWEZEN, clock.at(decision), ind.consultant)
        return decision
