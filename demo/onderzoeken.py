"""Meldingen and onderzoeken: the keukentafelgesprek, the ZRM scores, the conclusion and the aanvraag."""

from __future__ import annotations

from datetime import date, timedelta

from indications.models import Indication, Intake, OtherProvision, ResultDomain

from .figures import (
    CHANNELS,
    GROUP_DOMAINS,
    GROUP_JUSTICE,
    NAZORG_NOTES,
    NETWORK_NOTES,
    OWN_STRENGTH_NOTES,
    QUESTIONS,
    REFERRALS,
    REFUSAL_SHARE,
    Plan,
)
from .rows import AanvraagRow, ClientState, ConversationRow, IntakeRow, MeldingRow, Rows, ZrmAssessmentRow

Kind = Indication.Kind


# How a persoonlijk plan (art. 2.3.2 lid 2 Wmo 2015) that came in was taken into account.
PERSOONLIJK_PLAN_NOTE = (
    "Het persoonlijk plan van de cliënt is in het gesprek besproken; de wensen daarin zijn meegenomen "
    "in de resultaten en in de keuze voor de ondersteuning."
)


class OnderzoekMixin:
    """Part of the Generator: from melding to aanvraag, and the ZRM scores along the way."""

    def _choose_domains(self, group: int) -> list[ResultDomain]:
        ref = self.ref
        plain = [d for d in ref.result_domains if not ref.requires[d.id]]
        weights = {d: GROUP_DOMAINS.get(group, {}).get(d.code, 1) for d in plain}
        chosen = self._weighted_sample(weights, self.rng.choices([1, 2, 3], weights=[30, 45, 25])[0])
        for domain in ref.result_domains:  # justitie: only together with a domain it requires
            required = [d for d in ref.result_domains if d.id in ref.requires[domain.id]]
            if required and self.rng.random() < GROUP_JUSTICE.get(group, 0.03):
                if not any(d in chosen for d in required):
                    chosen.append(self.rng.choice(required))
                chosen.append(domain)
        return sorted(chosen, key=lambda d: d.order)

    def _intake_scores(self, state: ClientState) -> None:
        """Scores that justify IB on the trajectory's domains: 2 or 3 there (1 only where acute care
        is IB territory); elsewhere mostly self-reliant, sometimes a problem that IB does not take on."""
        rng = self.rng
        needy = set()
        for domain in state.domains:
            zrms = self.ref.zrm_of_domain[domain.id]
            picked = [z for z in zrms if rng.random() < 0.6] or [rng.choice(zrms)]
            needy.update(z.id for z in picked)
        scores = {}
        for zrm in self.ref.zrm_domains:
            if zrm.id in needy:
                score = 1 if zrm.allows_acute_score and rng.random() < 0.05 else rng.choice([2, 2, 3, 3, 3])
            elif zrm.code == "justitie":
                score = 5 if rng.random() < 0.9 else 4
            else:
                roll = rng.random()
                score = 1 if roll < 0.01 else 3 if roll < 0.08 else rng.choice([4, 4, 4, 5])
            scores[zrm.id] = score
        state.scores = scores

    def _evolve(self, state: ClientState, mode: str) -> None:
        """The scores at an evaluation. Result domains stay at 2-3 while IB continues on them; an
        achieved domain goes to 4 (and then leaves the results of a follow-up)."""
        rng = self.rng
        achieved = set()
        if mode == "partly":
            plain = [d for d in state.domains if not self.ref.requires[d.id]]
            achieved = {d.id for d in plain[1:] if rng.random() < 0.4} if len(plain) > 1 else set()
            keep = [d for d in plain if d.id not in achieved]
            if not keep and plain:
                achieved.discard(plain[0].id)
        for domain in state.domains:
            for zrm in self.ref.zrm_of_domain[domain.id]:
                score, low = state.scores[zrm.id], 1 if zrm.allows_acute_score else 2
                if score >= 4:
                    continue  # not (or no longer) a problem area of this trajectory
                if mode == "achieved" or domain.id in achieved:
                    score = 4 if rng.random() < 0.7 or domain.id in achieved else min(3, score + 1)
                elif mode == "worse":
                    score = max(low, score - 1) if rng.random() < 0.6 else score
                else:
                    roll = rng.random()
                    if roll < 0.25 or score == 1 and roll < 0.6:
                        score += 1
                    elif roll > 0.92:
                        score -= 1
                    score = min(3, max(low, score))
                state.scores[zrm.id] = score
        if achieved:
            state.domains = [d for d in state.domains if d.id not in achieved]
        # A domain that is IB territory only together with another one leaves with it.
        state.domains = [
            d
            for d in state.domains
            if not self.ref.requires[d.id] or self.ref.requires[d.id] & {o.id for o in state.domains}
        ]

    def _assess(self, rows: Rows, state: ClientState, day: date, by, *, intake=None, evaluation=None) -> None:
        assessment = ZrmAssessmentRow(
            client=state.client, assessed_on=day, assessed_by=by, intake=intake, evaluation=evaluation
        )
        rows.assessments.append(assessment)
        rows.scores.append((assessment, dict(state.scores)))

    # -- provisions besides IB (for stacking) -------------------------------------------------

    def _plan(self, melding_day: date) -> Plan:
        age = (self.today - melding_day).days
        if age >= 70:
            return Plan()
        if age < 14:
            stage = self.rng.choices(["gemeld", "onderzoek"], weights=[40, 60])[0]
        elif age < 45:
            stage = self.rng.choices(["onderzoek", "besloten"], weights=[30, 70])[0]
        else:
            stage = self.rng.choices(["onderzoek", "besloten"], weights=[5, 95])[0]
        return Plan(stage=stage)

    def _conversation(self, rows: Rows, state: ClientState, intake: IntakeRow, day: date, question: str) -> None:
        rng = self.rng
        current = ", ".join(
            sorted(
                {
                    str(OtherProvision.Kind(k).label)
                    for k, s, e in state.provisions
                    if s <= day and (e is None or e >= day)
                }
            )
        )
        rows.conversations.append(
            ConversationRow(
                intake=intake,
                held_on=day,
                place=rng.choices(["thuis", "kantoor", "telefonisch", "elders"], weights=[75, 12, 10, 3])[0],
                participants=rng.choice(
                    [
                        ["client"],
                        ["client", "mantelzorger"],
                        ["client", "clientondersteuner"],
                        ["client", "familie", "wijkteam"],
                        ["client", "aanbieder"],
                    ]
                ),
                clientondersteuning_offered=rng.random() < 0.96,
                persoonlijk_plan_informed=rng.random() < 0.9,
                need_notes=question,
                own_strength_notes=rng.choice(OWN_STRENGTH_NOTES),
                network_notes=rng.choice(NETWORK_NOTES),
                general_provisions_notes=f"Besproken: {rng.choice(REFERRALS).lower()}; volstaat niet alleen.",
                other_laws_notes="Geen Wlz-indicatie; behandeling loopt via de Zvw."
                if any(k == OtherProvision.Kind.ZVW_BEHANDELING for k, _s, _e in state.provisions)
                else "",
                current_provisions_notes=current,
            )
        )

    def _conclusion(self, repeat: bool) -> str:
        conclusions = Intake.Conclusion
        return self.rng.choices(
            [conclusions.MAATWERK, conclusions.ALGEMENE_VOORZIENING, conclusions.OTHER_LAW, conclusions.OWN_STRENGTH],
            weights=[62, 18, 10, 10] if repeat else [80, 11, 5, 4],
        )[0]

    def trajectory(self, rows: Rows, state: ClientState, melding_day: date, plan: Plan, *, repeat: bool):
        """Melding → onderzoek → conclusion (→ aanvraag → beschikkingen). Returns the day the support
        or the referral ended, None while work is open or care runs on."""
        rng, today = self.rng, self.today
        if not repeat or rng.random() < 0.3:
            state.group = self._choose_group(state, melding_day)
        state.domains = self._choose_domains(state.group)
        question = rng.choice(QUESTIONS.get(state.domains[0].code, QUESTIONS["financien"]))
        melding = MeldingRow(
            client=state.client,
            received_on=melding_day,
            channel="jeugdhulp" if state.youth else rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0],
            question=question,
            consultant=state.consultant,
            created_at=self._at(melding_day),
        )
        rows.meldingen.append(melding)
        intake = IntakeRow(melding=melding)
        rows.intakes.append(intake)
        if plan.stage == "gemeld":
            return None

        # The keukentafelgesprek: usually one, sometimes two, none for a herindicatie where enough is known.
        first_talk = melding_day + self._days(3, 18, plan, 5)
        if first_talk >= today:
            return None
        talks = [] if repeat and plan.stage == "besloten" and rng.random() < 0.12 else [first_talk]
        if talks and rng.random() < 0.15 and not plan.forced:
            talks.append(first_talk + timedelta(days=rng.randint(5, 14)))
        talks = [day for day in talks if day < today]
        zrm_day = talks[-1] if talks else melding_day + timedelta(days=rng.randint(1, 7))
        if not state.provisions and not repeat:
            self._provisions(rows, state, zrm_day)
        for day in talks:
            self._conversation(rows, state, intake, day, question)
        if talks:
            self._mantelzorgers(rows, state, intake, talks[0])
        if plan.stage == "onderzoek":
            if rng.random() < 0.6 and zrm_day < today:
                self._intake_scores(state)
                self._assess(rows, state, zrm_day, state.consultant, intake=intake)
            return None

        conclusion = plan.conclusion or (Intake.Conclusion.MAATWERK if plan.forced else self._conclusion(repeat))
        concluded = zrm_day + self._days(1, 14, plan, 3)
        if not plan.forced and (today - melding_day).days > 75 and rng.random() < 0.06:
            concluded = melding_day + timedelta(days=rng.randint(43, 70))  # later than the 6-week deadline
        if concluded > today:
            self._intake_scores(state)
            self._assess(rows, state, zrm_day, state.consultant, intake=intake)
            return None
        if conclusion == Intake.Conclusion.MAATWERK or rng.random() < 0.5:
            self._intake_scores(state)
            self._assess(rows, state, zrm_day, state.consultant, intake=intake)
        intake.conclusion, intake.concluded_on = conclusion, concluded
        intake.report = (
            f"Onderzoek naar aanleiding van de melding: {question} Besproken: "
            f"{', '.join(d.name.lower() for d in state.domains)}. "
            f"Conclusie: {Intake.Conclusion(intake.conclusion).label}."
        )
        intake.report_sent_on = min(concluded + timedelta(days=rng.randint(1, 5)), today)
        if not talks:
            intake.no_conversation_reason = (
                "Heraanmelding: de situatie is bekend uit het vorige onderzoek en de evaluatie met de aanbieder."
            )
        self._conclude_mantelzorg(intake)
        if rng.random() < 0.05:
            intake.persoonlijk_plan_received_on = max(melding_day, first_talk - timedelta(days=2))
            intake.persoonlijk_plan_note = PERSOONLIJK_PLAN_NOTE
        if conclusion == Intake.Conclusion.ALGEMENE_VOORZIENING:
            intake.referral_provision = rng.choice(REFERRALS)
        if conclusion == Intake.Conclusion.OTHER_LAW:
            intake.other_law = rng.choices(
                ["zvw", "wlz", "jeugdwet"],
                weights=[
                    60,
                    35 if self._age(state, concluded) > 65 else 5,
                    5 if self._age(state, concluded) < 23 else 0,
                ],
            )[0]
        if conclusion in Intake.REFERRAL_CONCLUSIONS:
            intake.nazorg_due_on = concluded + timedelta(days=self.nazorg_days)
            overdue = (today - intake.nazorg_due_on).days
            if not plan.forced and (overdue > 30 or overdue >= 0 and rng.random() < 0.5):
                intake.nazorg_done_on = min(intake.nazorg_due_on + timedelta(days=rng.randint(0, 10)), today)
                intake.nazorg_notes = rng.choice(NAZORG_NOTES)
        if conclusion != Intake.Conclusion.MAATWERK:
            return concluded

        aanvraag_day = concluded + self._days(0, 5, plan, 1)
        if aanvraag_day > today:
            return None
        aanvraag = AanvraagRow(
            client=state.client,
            intake=intake,
            received_on=aanvraag_day,
            consultant=state.consultant,
            created_at=self._at(aanvraag_day),
        )
        rows.aanvragen.append(aanvraag)
        if plan.stage == "aanvraag":
            return None
        created = min(today, aanvraag_day + self._days(0, 3, plan, 1))
        late = rng.random() < 0.07
        decision = aanvraag_day + self._days(15, 30, plan, 3) if late else aanvraag_day + self._days(2, 13, plan, 3)
        stage = plan.stage
        if stage == "besloten" and decision > today:
            stage = rng.choices(["concept", "ter_beoordeling", "goedgekeurd"], weights=[50, 35, 15])[0]
        if stage == "besloten":
            if not plan.forced and rng.random() < REFUSAL_SHARE:
                return self._refuse(rows, state, plan, aanvraag=aanvraag, created=created, decision=decision)
            return self._chain(rows, state, plan, aanvraag=aanvraag, created=created, decision=decision)

        # Still open today: a concept, in review, sent back, or approved and waiting to be vastgesteld.
        product = self._first_product(state, created, plan)
        start = max(created, today) + self._days(7, 21, plan, 14)
        weeks = plan.weeks if plan.forced and plan.weeks else self._weeks(product)
        provider = state.provider = (
            None if self._pgb_trajectory(state, plan) else self._choose_provider(state.group, start, product)
        )
        ind = self._indication(
            rows,
            state,
            0,
            product=product,
            kind=Kind.FIRST,
            replaced=None,
            aanvraag=aanvraag,
            start=start,
            weeks=weeks,
            provider=provider,
        )
        aanvraag.requested_product, aanvraag.requested_opslag = ind.product, ind.opslag
        self._leave_open(rows, state, ind, created=created, stage=stage, forced=plan.forced)
        return None
