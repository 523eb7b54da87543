"""Beschikkingen: concepts, four eyes, vaststelling, evaluations, herindicatie, op- and afschaling, ends."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from indications.decisions import partial_reasons
from indications.models import (
    ComplexityRule,
    Evaluation,
    Indication,
    IndicationStatus,
    OtherProvision,
    Product,
    ResultProgress,
    Review,
)
from providers.codes import RedenBeeindiging, RedenWijziging
from providers.models import Provider

from .figures import (
    DAGDELEN_IB_SHARE,
    EARLY_ENDS,
    EIGEN_BIJDRAGE_FROM,
    EIGEN_BIJDRAGE_STOP_REASON,
    EIGEN_BIJDRAGE_STOP_UNTIL,
    EVALUATION_NOTES,
    EVALUATION_OUTCOME,
    EXTRAMURAL_COST_MOTIVATION,
    FIRST_PRODUCTS,
    FOLLOW_UPS,
    GOALS,
    OPSLAG_MOTIVATION,
    PGB_NOTES,
    PGB_REPRESENTATIVE_SHARE,
    PGB_REPRESENTATIVES,
    PGB_SHARE,
    PGB_SOCIAL_NETWORK_SHARE,
    PRIMARY_DOMAIN_SHARE,
    REJECTIONS,
    REVIEW_QUESTIONS,
    TREATMENT_WEIGHTS,
    VERBLIJF_MOTIVATION,
    WITHDRAWALS,
    YOUTH_IB4_CHANCE,
    Plan,
)
from .rows import (
    AanvraagRow,
    ClientState,
    EvaluationRow,
    IndicationResultRow,
    IndicationRow,
    IndicationStatusChangeRow,
    PgbBudgetRow,
    PlannedEvaluationRow,
    ResultProgressRow,
    ReviewQuestionRow,
    ReviewRow,
    Rows,
)
from .timestamps import Clock

Kind = Indication.Kind
Outcome = Evaluation.Outcome
Progress = ResultProgress.Progress
Rule = ComplexityRule.Kind
S = IndicationStatus


class BeschikkingMixin:
    """Part of the Generator: the chain of beschikkingen of one trajectory."""

    def _findings(
        self, state: ClientState, ind: IndicationRow, *, results: int, replaced: IndicationRow | None
    ) -> list:
        """The active complexity rules this indication meets, as four_eyes.complexity_findings finds them."""
        findings, zrm_names = [], self.zrm_names
        for rule in self.ref.rules:
            reason = ""
            if rule.kind == Rule.PRODUCT and ind.product.id == rule.product_id:
                reason = f"Product {ind.product.name}."
            elif rule.kind == Rule.OPSLAG and ind.opslag:
                motivation = ind.opslag_motivation.strip().rstrip(".")
                reason = f"Opslag: {motivation}." if motivation else "Opslag, nog zonder motivering."
            elif rule.kind == Rule.ZRM_ACUTE:
                acute = [zrm_names[pk] for pk, score in state.scores.items() if score == 1]
                reason = f"ZRM-score 1 op {', '.join(acute)}." if acute else ""
            elif rule.kind == Rule.RESULT_COUNT and results > rule.threshold:
                reason = f"{results} resultaten (drempel {rule.threshold})."
            elif rule.kind == Rule.DURATION:
                if ind.end_date is None:
                    reason = "Onbepaalde looptijd."
                elif (weeks := (ind.end_date - ind.start_date).days / 7) > rule.threshold:
                    reason = f"Looptijd {weeks:.0f} weken (drempel {rule.threshold})."
            elif rule.kind == Rule.STACKING and rule.provision_kinds:
                names = sorted(
                    {
                        str(OtherProvision.Kind(kind).label)
                        for kind, start, end in state.provisions
                        if kind in rule.provision_kinds
                        and (end is None or end >= ind.start_date)
                        and (ind.end_date is None or start <= ind.end_date)
                    }
                )
                reason = f"Stapeling met {', '.join(names)}." if names else ""
            elif rule.kind == Rule.SCALING_UP and replaced is not None and ind.product.level > replaced.product.level:
                reason = f"Zwaarder product: van {replaced.product.name} naar {ind.product.name}."
            elif rule.kind == Rule.MANUAL and ind.four_eyes_requested:
                reason = "De consulent vraagt om vier ogen."
            elif rule.kind == Rule.PARTIAL and (partial := partial_reasons(ind)):
                reason = f"Gedeeltelijke toekenning: {' '.join(partial)}"
            if reason:
                findings.append({"code": rule.kind, "rule": rule.name, "reason": reason})
        return findings

    def _review(
        self, rows: Rows, ind: IndicationRow, findings: list, clock: Clock, *, first: date, last: date, outcome: str
    ) -> None:
        """Four eyes between first and last: submitted, sometimes a question or a round back to the
        consultant, then approved by the team lead (or still open, or sent back)."""
        rng, lead, author = self.rng, self.ref.team_lead, ind.consultant
        reasons = " ".join(f["reason"] for f in findings)  # sentences, as four_eyes.submit_for_review
        rounds = 2 if outcome == "approved" and rng.random() < 0.1 else 1
        span = max(0, (last - first).days)
        days = sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(2 * rounds))
        ind.four_eyes_required = True
        for number in range(rounds):
            submitted = clock.at(days[2 * number])
            self._move(rows, ind, S.TER_BEOORDELING, submitted, author, reasons)
            review = ReviewRow(indication=ind, submitted_by=author, submitted_at=submitted, findings=findings)
            rows.reviews.append(review)
            final = number == rounds - 1
            if rng.random() < 0.15 or (final and outcome == "open" and rng.random() < 0.3):
                question, answer = rng.choice(REVIEW_QUESTIONS)
                asked = ReviewQuestionRow(
                    review=review, question=question, asked_by=lead, asked_at=clock.at(days[2 * number])
                )
                if not (final and outcome == "open"):
                    asked.answer, asked.answered_by = answer, author
                    asked.answered_at = clock.at(days[2 * number + 1])
                rows.questions.append(asked)
            if final and outcome == "open":
                return
            decided = clock.at(days[2 * number + 1])
            review.reviewer, review.decided_at = lead, decided
            if not final or outcome == "rejected":
                review.outcome, review.motivation = Review.Outcome.REJECTED, rng.choice(REJECTIONS)
                self._move(rows, ind, S.CONCEPT, decided, lead, review.motivation)
            else:
                review.outcome, review.motivation = Review.Outcome.APPROVED, ""
                ind.approved_by, ind.approved_at = lead, decided
                self._move(rows, ind, S.GOEDGEKEURD, decided, lead, "Goedgekeurd (vier ogen)")

    # -- indications --------------------------------------------------------------------------

    def _move(self, rows: Rows, ind: IndicationRow, target: str, at: datetime, by, reason: str = "") -> None:
        rows.status_changes.append(
            IndicationStatusChangeRow(
                indication=ind, from_status=ind.status, to_status=target, at=at, by=by, reason=reason
            )
        )
        ind.status, ind.status_reason, ind.updated_at = target, reason, at

    def _weeks(self, product: Product) -> int | None:
        rng = self.rng
        if product.max_duration_weeks:  # IB2: always finite and short
            return rng.choice([w for w in (8, 13, 17, 20, 26, 26, 26) if w <= product.max_duration_weeks] or [8])
        if product.level == 0:  # IB0: a limited finger on the pulse
            return rng.choice([13, 26, 26, 52])
        if not product.requires_end_date and rng.random() < 0.07:
            return None  # open-ended
        return rng.choice([26, 26, 39, 52, 52, 52, 78] if product.level < 3 else [26, 39, 39, 52, 52])

    def _first_product(self, state: ClientState, day: date, plan: Plan) -> Product:
        products = self.ref.products
        if plan.product and plan.product in products:
            return products[plan.product]
        ib4 = products.get("IB4")
        if (
            state.youth == "step"
            and ib4 is not None
            and self._tariff(ib4, day)
            and self._age(state, day) < (ib4.age_limit or 99)
            and self.rng.random() < YOUTH_IB4_CHANCE
        ):
            return ib4
        weights = {
            code: weight
            * (1.3 if code == "IB3" and state.group in (2, 3) else 1)
            * (1.3 if code == "IB1" and state.group == 6 else 1)
            for code, weight in FIRST_PRODUCTS.items()
            if code in products and self._tariff(products[code], day)
        }
        return products[self.rng.choices(list(weights), weights=list(weights.values()))[0]]

    def _indication(
        self,
        rows: Rows,
        state: ClientState,
        level: int,
        *,
        product: Product,
        kind: str,
        replaced: IndicationRow | None,
        aanvraag: AanvraagRow | None,
        start: date,
        weeks: int | None,
        provider: Provider,
    ) -> IndicationRow:
        """A concept with its results; _decide or _leave_open moves it on."""
        rng = self.rng
        tariff = self._tariff(product, start)
        opslag = bool(
            product.allows_opslag
            and tariff
            and tariff.opslag_per_period is not None
            and rng.random() < (0.1 if state.group in (1, 2) else 0.04)
        )
        ind = IndicationRow(
            client=state.client,
            aanvraag=aanvraag,
            kind=kind,
            replaces=replaced,
            product=product,
            opslag=opslag,
            opslag_motivation=OPSLAG_MOTIVATION if opslag else "",
            start_date=start,
            end_date=start + timedelta(days=weeks * 7 - 1) if weeks else None,
            provider=None if state.pgb else provider,
            delivery_form=Indication.DeliveryForm.PGB if state.pgb else Indication.DeliveryForm.NATURA,
            status=S.CONCEPT,
            consultant=state.consultant,
            four_eyes_requested=rng.random() < 0.02,
        )
        rows.level(level).append(ind)
        if state.pgb:
            self._pgb(rows, ind)
        ind.demo_results = []
        chosen = []
        for domain in state.domains:
            result = rng.choice(self.ref.results[domain.id])
            subs = self.ref.subs.get(result.id, [])
            row = IndicationResultRow(
                indication=ind,
                result=result,
                goal=rng.choice(GOALS.get(domain.code, ["Werkt zelfstandig aan het doel."])),
            )
            row.demo_domain = domain
            rows.results.append(row)
            chosen.append((row, rng.sample(subs, k=min(len(subs), rng.randint(1, 3)))))
            ind.demo_results.append(row)
        rows.result_subs.extend(chosen)
        self._mantelzorg_in_indication(ind, chosen)  # an overloaded mantelzorger (demo.mantelzorg)
        self._focus(state, ind)
        return ind

    def _pgb_trajectory(self, state: ClientState, plan: Plan) -> bool:
        """Whether this trajectory is a pgb (PGB_SHARE; a scenario of the worklist stays natura)."""
        state.pgb = not plan.forced and not plan.provider and self.rng.random() < PGB_SHARE
        return state.pgb

    def _pgb(self, rows: Rows, ind: IndicationRow) -> None:
        """The pgb record as the consultant completes it before the vaststelling (save_indication_concept):
        the budgetholder, the budget plan received and the three conditions of art. 2.3.6 lid 2 met."""
        rng = self.rng
        holder, relation, name = "client", "", ""
        if rng.random() < PGB_REPRESENTATIVE_SHARE:
            holder, relation = rng.choice(PGB_REPRESENTATIVES)
            name = f"{rng.choice('ABCDEHJKMPRSW')}. {ind.client.last_name}"
        rows.pgb_budgets.append(
            PgbBudgetRow(
                indication=ind,
                holder=holder,
                representative_name=name,
                representative_relation=relation,
                budget_plan_received_on=ind.start_date - timedelta(days=rng.randint(7, 28)),
                able_to_manage=True,
                able_to_manage_note=PGB_NOTES["able_to_manage"],
                motivated=True,
                motivated_note=PGB_NOTES["motivated"],
                quality_plausible=True,
                quality_note=PGB_NOTES["quality"],
                social_network=rng.random() < PGB_SOCIAL_NETWORK_SHARE,
            )
        )

    def _focus(self, state: ClientState, ind: IndicationRow) -> None:
        """The primary life domain (one of the results'), whether treatment is needed, dagdelen
        dagbesteding filled in with IB, and the motivation where the IB cost rule cannot decide."""
        rng = self.rng
        if state.domains and rng.random() < PRIMARY_DOMAIN_SHARE:
            ind.primary_domain = rng.choice(state.domains)
        weights = TREATMENT_WEIGHTS.get(state.group, TREATMENT_WEIGHTS["default"])
        ind.treatment_needed = rng.choices(list(Indication.TreatmentNeeded.values), weights=weights)[0]
        end = ind.end_date
        running = [
            (kind, start)
            for kind, start, stop in state.provisions
            if (stop is None or stop >= ind.start_date) and (end is None or start <= end)
        ]
        if (
            ind.product.level in (1, 2)
            and any(kind == OtherProvision.Kind.DAGBESTEDING for kind, _start in running)
            and rng.random() < DAGDELEN_IB_SHARE
        ):
            ind.dagbesteding_dagdelen_ib = rng.randint(1, 3)
        stays = (OtherProvision.Kind.BESCHERMD_WONEN, OtherProvision.Kind.WLZ, OtherProvision.Kind.OPVANG)
        if any(kind in stays for kind, _start in running):  # the uitstroom from beschermd wonen overlaps
            ind.verblijf_motivation = VERBLIJF_MOTIVATION
        if any(item in state.unknown_cost for item in running):
            ind.extramural_cost_motivation = EXTRAMURAL_COST_MOTIVATION

    def _schedule(self, ind: IndicationRow) -> list[date]:
        """Planned evaluations: 13 weeks after the start (halfway for short ones), then every half year,
        the last one four weeks before the end date."""
        start, end = ind.start_date, ind.end_date
        last = end or max(self.today, start) + timedelta(days=400)
        day = start + timedelta(weeks=13)
        if end is not None and day > end - timedelta(days=14):
            day = start + (end - start) // 2
        dates = []
        while day <= last:
            dates.append(day)
            following = day + timedelta(weeks=26)
            if end is not None and following > end - timedelta(days=14):
                following = end - timedelta(days=28)
                if following <= day + timedelta(days=28):
                    break
            day = following
        return dates

    def _decide(
        self,
        rows: Rows,
        state: ClientState,
        ind: IndicationRow,
        *,
        created: date,
        decision: date,
        change_reason: str = "",
    ) -> None:
        """Concept → (four eyes) → vastgesteld (→ actief when it starts on the day of the decision)."""
        clock = Clock(self.rng, self.tz)
        created = min(created, decision)
        ind.created_at = clock.at(created)
        findings = self._findings(state, ind, results=len(ind.demo_results), replaced=ind.replaces)
        if findings:
            self._review(rows, ind, findings, clock, first=created, last=decision, outcome="approved")
        ind.decision_date = decision
        self._outcome(ind)
        decided = clock.at(decision)
        self._move(rows, ind, S.VASTGESTELD, decided, ind.consultant)
        ind.demo_clock = clock
        self._assign(rows, ind, decision, change_reason)
        if ind.start_date <= decision:
            self._move(rows, ind, S.ACTIEF, decided, ind.consultant, "Ingangsdatum bereikt")

    def _leave_open(
        self, rows: Rows, state: ClientState, ind: IndicationRow, *, created: date, stage: str, forced: bool = False
    ) -> None:
        """An undecided indication on today's worklists: concept, ter beoordeling, sent back or approved."""
        clock = Clock(self.rng, self.tz)
        ind.created_at = ind.updated_at = clock.at(created)
        findings = self._findings(state, ind, results=len(ind.demo_results), replaced=ind.replaces)
        if stage in ("ter_beoordeling", "teruggestuurd", "goedgekeurd") and not findings:
            if not forced:
                stage = "concept"
            else:
                ind.four_eyes_requested = True  # the consultant asks a team lead to look along
                findings = self._findings(state, ind, results=len(ind.demo_results), replaced=ind.replaces)
        if findings and stage in ("ter_beoordeling", "teruggestuurd", "goedgekeurd"):
            outcome = {"ter_beoordeling": "open", "teruggestuurd": "rejected", "goedgekeurd": "approved"}[stage]
            self._review(rows, ind, findings, clock, first=created, last=self.today, outcome=outcome)
        schedule = self._schedule(ind)
        if schedule:
            rows.planned.append(PlannedEvaluationRow(indication=ind, planned_on=schedule[0]))

    def _end(
        self,
        rows: Rows,
        ind: IndicationRow,
        day: date,
        *,
        by,
        reason: str,
        recorded: date | None = None,
        code: str = RedenBeeindiging.VOLGENS_PLAN,
    ) -> None:
        """Beëindigd: by the nightly job the day after the end date (recorded None), or by the consultant
        on the day recorded; the assignments end with it and the provider reports the stop."""
        self._close_assignments(rows, ind, on=day, code=code, ended_on_day=recorded or day + timedelta(days=1))
        ind.ended_on = day
        if recorded:  # end_beschikking per a day that has passed keeps the consultant's reason
            ind.end_reason = reason
        if day > ind.start_date and (ind.end_date is None or ind.end_date > day):
            ind.end_date = day
        clock = ind.demo_clock
        at = clock.at(recorded) if recorded else clock.at(day + timedelta(days=1), hour=1)
        self._move(rows, ind, S.BEEINDIGD, at, by, reason)

    def _activate(self, rows: Rows, ind: IndicationRow) -> None:
        if ind.status == S.VASTGESTELD and ind.start_date <= self.today:
            self._move(rows, ind, S.ACTIEF, ind.demo_clock.at(ind.start_date, hour=1), None, "Ingangsdatum bereikt")

    def _follow_kind(self, product: Product, day: date) -> tuple[str, Product | None]:
        options = []
        for kind, code, weight in FOLLOW_UPS.get(product.code, [("stop", None, 1)]):
            target = self.ref.products.get(code) if code else None
            if code and (target is None or not self._tariff(target, day)):
                continue
            if kind == "afschaling" and target.level >= product.level:
                continue
            if kind == "opschaling" and target.level <= product.level:
                continue
            if kind == "herindicatie" and product.max_duration_weeks:  # IB2 is never simply extended
                continue
            options.append((kind, target, weight))
        kind, target, _weight = self.rng.choices(options, weights=[o[2] for o in options])[0]
        return kind, target

    def _switch_product(self, product: Product, day: date) -> tuple[str, Product] | None:
        """Op- or afschaling in the middle of a beschikking, after an evaluation."""
        # A product with an age limit (IB4) is for the youth who start on it, not a general op- or afschaling.
        levels = sorted(
            (p for p in self.ref.products.values() if p.age_limit is None and self._tariff(p, day)),
            key=lambda p: p.level,
        )
        heavier = [p for p in levels if p.level > product.level]
        lighter = [p for p in levels if p.level < product.level]
        if heavier and (not lighter or self.rng.random() < 0.6):
            return Kind.SCALE_UP, heavier[0]
        if lighter:
            return Kind.SCALE_DOWN, lighter[-1]
        return None

    def _evaluate(
        self,
        rows: Rows,
        state: ClientState,
        ind: IndicationRow,
        held_on: date,
        outcome: str,
        next_on: date | None,
        mode: str,
    ) -> EvaluationRow:
        rng = self.rng
        self._evolve(state, mode)
        evaluation = EvaluationRow(
            indication=ind,
            held_on=held_on,
            consultant=ind.consultant,
            outcome=outcome,
            next_evaluation_on=next_on,
            notes=EVALUATION_NOTES[outcome],
            created_at=self._at(held_on),
        )
        rows.evaluations.append(evaluation)
        remaining = {d.id for d in state.domains}
        for row in ind.demo_results:
            if row.demo_domain.id not in remaining or outcome == Outcome.STOP and mode == "achieved":
                progress = Progress.ACHIEVED
            elif outcome == Outcome.SCALE_UP:
                progress = rng.choice([Progress.NOT_ACHIEVED, Progress.NOT_ACHIEVED, Progress.PARTLY])
            else:
                progress = rng.choices(
                    [Progress.ACHIEVED, Progress.PARTLY, Progress.NOT_ACHIEVED], weights=[20, 60, 20]
                )[0]
            rows.progress.append(ResultProgressRow(evaluation=evaluation, indication_result=row, progress=progress))
        self._assess(rows, state, held_on, ind.consultant, evaluation=evaluation)
        return evaluation

    # -- toewijzingen and the provider's reports (mirrors providers/services.py) ---------------

    def _chain(
        self, rows: Rows, state: ClientState, plan: Plan, *, aanvraag: AanvraagRow, created: date, decision: date
    ) -> date | None:
        """The first beschikking and what follows it: evaluations, then herindicatie, op- or afschaling,
        an early end, or still running today. Returns the day support ended (None: it runs on)."""
        rng, today = self.rng, self.today
        product = self._first_product(state, decision, plan)
        start = decision + self._days(0, 14, plan, plan.start_in)
        if not self._tariff(product, start):
            product = self.ref.products.get("IB1", product)
        weeks = plan.weeks if plan.forced and plan.weeks else self._weeks(product)
        if self._pgb_trajectory(state, plan):
            provider = state.provider = None  # the budgetholder buys the care: no toewijzing
        else:
            provider = state.provider = self._plan_provider(plan) or self._choose_provider(state.group, start, product)
        kind, replaced, level, change_reason, request = Kind.FIRST, None, 0, "", None
        while True:
            ind = self._indication(
                rows,
                state,
                level,
                product=product,
                kind=kind,
                replaced=replaced,
                aanvraag=aanvraag if level == 0 else None,
                start=start,
                weeks=weeks,
                provider=provider,
            )
            if level == 0:  # what the aanvraag asked: all of it, or more than is granted
                self._requested(aanvraag, ind, plan)
            self._decide(rows, state, ind, created=created, decision=decision, change_reason=change_reason)
            if request is not None:  # the provider's verzoek om wijziging that led to this beschikking
                request.follow_up = ind
            if replaced is not None and replaced.start_date <= today and ind.start_date <= today:
                # The nightly job ends the replaced one when this one starts (after the vaststelling,
                # which already ended its assignment as issue_beschikking does).
                self._end(rows, replaced, replaced.end_date, by=None, reason="Einddatum verstreken")
            if level == 0 and not plan.forced and rng.random() < 0.015:  # withdrawn after bezwaar
                withdrawn = decision + timedelta(days=rng.randint(7, 42))
                if withdrawn <= today:
                    if ind.start_date <= withdrawn:
                        self._activate(rows, ind)
                    self._move(
                        rows, ind, S.INGETROKKEN, ind.demo_clock.at(withdrawn), ind.consultant, rng.choice(WITHDRAWALS)
                    )
                    self._end_assignments(
                        ind,
                        end_date=ind.start_date - timedelta(days=1),
                        reason=RedenWijziging.VERWIJDERD,
                        day=withdrawn,
                    )
                    rows.planned.append(PlannedEvaluationRow(indication=ind, planned_on=self._schedule(ind)[0]))
                    return withdrawn
            self._activate(rows, ind)
            for assignment in ind.demo_assignments:
                if plan.care_started or level > 0:
                    self._care_start(rows, assignment)

            # Which planned evaluations have been held (some recent ones are overdue on the worklist).
            schedule = self._schedule(ind)
            held = []
            for planned_on in schedule:
                held_on = max(planned_on + timedelta(days=rng.randint(-7, 10)), ind.start_date + timedelta(days=1))
                if ind.end_date:
                    held_on = min(held_on, ind.end_date)
                if held_on >= today:
                    break
                overdue = plan.overdue_evaluation or not plan.forced and rng.random() < 0.12
                if (today - planned_on).days <= 60 and overdue:
                    break
                held.append((planned_on, held_on))

            # What happens: an early end or op-/afschaling after an evaluation, the end date, or it runs on.
            end, event, follow, switch_at = ind.end_date, None, None, None
            candidates = [
                i
                for i, (_p, h) in enumerate(held)
                if h <= today - timedelta(days=21) and (end is None or h <= end - timedelta(days=42))
            ]
            if candidates and not plan.forced:
                roll = rng.random()
                if roll < 0.06:
                    switch_at = rng.choice(candidates)
                    switch = self._switch_product(product, held[switch_at][1])
                    if switch is not None:
                        event, follow = "switch", switch
                elif roll < 0.12:
                    switch_at = rng.choice(candidates)
                    event = "stop"
            if event is not None:
                held = held[: switch_at + 1]
            elif end is not None and end < today:
                kind_name, target = self._follow_kind(product, end + timedelta(days=1))
                event = "end"
                follow = None if kind_name == "stop" else (kind_name, target)
            else:
                event = "live"
                ending_soon = end is not None and (end - today).days <= 56
                fate = (plan.fate if level == 0 else None) or (
                    "live"
                    if not ending_soon
                    else rng.choices(["live", "decided_follow", "concept_follow"], weights=[45, 35, 20])[0]
                )
                if fate != "live" and end is not None:
                    kind_name, target = self._follow_kind(product, end + timedelta(days=1))
                    if kind_name == "stop" and plan.forced:
                        kind_name, target = Kind.HERINDICATIE, product
                        if product.max_duration_weeks:
                            kind_name, target = Kind.SCALE_DOWN, self.ref.products.get("IB1", product)
                    follow = None if kind_name == "stop" else (kind_name, target)
                    event = fate if follow else "live"

            # The held evaluations, with outcomes that fit what follows.
            for index, (planned_on, held_on) in enumerate(held):
                next_on = schedule[index + 1] if index + 1 < len(schedule) else None
                final = index == len(held) - 1
                if not final or (event not in ("switch", "stop") and next_on is not None):
                    outcome, mode = Outcome.CONTINUE, "continue"
                elif event == "switch":
                    outcome = Outcome.SCALE_UP if follow[0] == Kind.SCALE_UP else Outcome.SCALE_DOWN
                    mode = "worse" if outcome == Outcome.SCALE_UP else "partly"
                elif event == "stop":
                    outcome, mode = Outcome.STOP, rng.choice(["achieved", "continue"])
                elif follow is not None:
                    outcome = EVALUATION_OUTCOME[follow[0]]
                    mode = "worse" if outcome == Outcome.SCALE_UP else "partly"
                else:  # it runs to its end date and stops there
                    outcome, mode = Outcome.STOP, "achieved" if event == "end" else "continue"
                next_on = next_on if outcome == Outcome.CONTINUE else None
                evaluation = self._evaluate(rows, state, ind, held_on, outcome, next_on, mode)
                rows.planned.append(PlannedEvaluationRow(indication=ind, planned_on=planned_on, evaluation=evaluation))
                if final and next_on is not None:  # planned at this evaluation, not held (yet)
                    rows.planned.append(PlannedEvaluationRow(indication=ind, planned_on=next_on))
                if not final and outcome == Outcome.CONTINUE and not plan.forced:
                    roll = rng.random()
                    if roll < 0.03 and held_on + timedelta(days=14) < held[index + 1][1]:
                        self._change_provider(rows, state, ind, held_on + timedelta(days=rng.randint(7, 14)))
                    elif roll < 0.05:  # a verzoek om wijziging the consultant refused at this evaluation
                        self._change_request(
                            rows,
                            ind,
                            created=held_on - timedelta(days=rng.randint(1, 10)),
                            product=self._heavier(ind.product, held_on),
                            answer="refused",
                            answered=held_on,
                        )
            if not held and schedule:
                rows.planned.append(PlannedEvaluationRow(indication=ind, planned_on=schedule[0]))
            last_held = held[-1][1] if held else ind.start_date
            provider = ind.provider

            # The end of this beschikking and the start of the next.
            if event == "stop":
                stop_day = min(last_held + timedelta(days=rng.randint(0, 28)), today - timedelta(days=1))
                if end is not None:
                    stop_day = min(stop_day, end)
                stop_day = max(stop_day, ind.start_date + timedelta(days=1))
                reason, _weight, gone, code = rng.choices(EARLY_ENDS, weights=[e[1] for e in EARLY_ENDS])[0]
                if code == RedenBeeindiging.OVERLIJDEN and self._age(state, stop_day) < 60:
                    reason, _weight, gone, code = EARLY_ENDS[1]
                if (
                    code == RedenBeeindiging.VOORTIJDIG
                    and EIGEN_BIJDRAGE_FROM <= stop_day <= EIGEN_BIJDRAGE_STOP_UNTIL
                    and self._age(state, stop_day) >= 18
                ):
                    reason, code = EIGEN_BIJDRAGE_STOP_REASON, RedenBeeindiging.DOOR_CLIENT
                recorded = min(today, stop_day + timedelta(days=rng.randint(1, 8)))
                self._end(rows, ind, stop_day, by=ind.consultant, reason=reason, recorded=recorded, code=code)
                if code == RedenBeeindiging.ANDER_DOMEIN:
                    self._provision(
                        rows, state, OtherProvision.Kind.WLZ, stop_day + timedelta(days=1), None, recorded=recorded
                    )
                state.gone = gone
                return stop_day
            if follow is None:
                if event == "end":
                    self._end(rows, ind, end, by=None, reason="Einddatum verstreken")
                    return end
                if end is not None and not plan.forced and rng.random() < 0.03:  # asks for an extension
                    self._change_request(
                        rows,
                        ind,
                        created=today - timedelta(days=rng.randint(0, 10)),
                        end_date=end + timedelta(weeks=rng.choice([13, 26])),
                    )
                if plan.forced and plan.fate == "live" and not plan.overdue_evaluation:
                    self._change_request(
                        rows, ind, created=today - timedelta(days=2), end_date=end + timedelta(weeks=26)
                    )
                return None  # runs on today

            next_kind, next_product = follow
            change_reason, request = "", None
            if event == "switch":
                next_decision = last_held + timedelta(days=rng.randint(2, 10))
                next_start = last_held + timedelta(days=rng.randint(14, 35))
                if end is not None:
                    next_start = min(next_start, end)
                if rng.random() < 0.4:  # the provider asked for it (verzoek om wijziging, WMO317)
                    request = self._change_request(
                        rows,
                        ind,
                        created=last_held - timedelta(days=rng.randint(0, 10)),
                        product=next_product,
                        answer="granted",
                        answered=next_decision,
                    )
                    change_reason = RedenWijziging.DOOR_AANBIEDER if request else ""
            else:
                next_start = end + timedelta(days=1)
                lower = max(last_held, ind.decision_date + timedelta(days=1), ind.start_date + timedelta(days=2))
                next_decision = max(lower, end - timedelta(days=rng.randint(7, 28)))
                if event == "decided_follow":
                    next_decision = max(lower, today - timedelta(days=rng.randint(0, 10)))
                if event == "concept_follow" or next_decision > today:
                    concept = self._indication(
                        rows,
                        state,
                        level + 1,
                        product=next_product,
                        kind=next_kind,
                        replaced=ind,
                        aanvraag=None,
                        start=next_start,
                        weeks=self._weeks(next_product),
                        provider=provider,
                    )
                    created = min(today, max(lower, today - timedelta(days=rng.randint(0, 7))))
                    self._leave_open(rows, state, concept, created=created, stage="concept")
                    return None
            # The beschikking it replaces ends the day before (issue_beschikking does the same).
            ind.end_date = next_start - timedelta(days=1)
            replaced, kind, product, level = ind, next_kind, next_product, level + 1
            start, decision = next_start, next_decision
            created = min(
                next_decision, max(ind.decision_date, next_decision - timedelta(days=rng.randint(0, 6)), last_held)
            )
            weeks = self._weeks(product)
            # Another provider (a pgb has none).
            if not state.pgb and (rng.random() < 0.1 or not self._covered(provider, product, start)):
                provider = state.provider = self._choose_provider(state.group, start, product)

    # -- meldingen and onderzoeken ------------------------------------------------------------
