"""Mantelzorgers in the onderzoek (art. 2.3.2 Wmo 2015, seed 004): about half of the onderzoeken
with a keukentafelgesprek record one or two mantelzorgers; some are overbelast. Their indication
then has the result "voorkomen van overbelasting" (seed 002) where the trajectory works on the
sociaal netwerk, and a motivation where it does not; an overloaded mantelzorger without respijtzorg
or ondersteuning offered gets the onderzoek's note why.

The choices come from a random stream of their own (per client and melding), so the rest of the
demo is the same with or without them."""

from __future__ import annotations

import random
from datetime import date

from indications.models import Mantelzorger

from .rows import ClientState, IndicationResultRow, IndicationRow, MantelzorgerRow, Rows
from .timestamps import Clock

MANTELZORG_SHARE = 0.45  # of the onderzoeken with a conversation
SECOND_MANTELZORGER_SHARE = 0.2
R, T, L = Mantelzorger.Relation, Mantelzorger.Task, Mantelzorger.Load
RELATIONS = {R.PARTNER: 38, R.CHILD: 30, R.PARENT: 10, R.RELATIVE: 8, R.NEIGHBOUR: 5, R.FRIEND: 6, R.OTHER: 3}
NAMES = ["Joke", "Henk", "Fatma", "Sandra", "Mohamed", "Ria", "Peter", "Anouk", "Gerrit", "Yvonne", "Said", "Linda"]
# The load, weighted by whether the trajectory works on the sociaal netwerk (the network is a problem).
LOADS_NETWORK = {L.NONE: 10, L.SOMEWHAT: 45, L.HEAVY: 28, L.OVERLOADED: 17}
LOADS_OTHER = {L.NONE: 25, L.SOMEWHAT: 52, L.HEAVY: 17, L.OVERLOADED: 6}
HOURS = {L.NONE: (1, 4), L.SOMEWHAT: (2, 12), L.HEAVY: (4, 24), L.OVERLOADED: (15, 60)}
NOTES = {
    L.HEAVY: "Combineert de zorg met werk; merkt dat het zwaar wordt.",
    L.OVERLOADED: "Slaapt slecht en kan het zo niet lang meer volhouden; wil graag even ontlast worden.",
}
NO_SUPPORT_NOTE = (
    "De mantelzorger wil (nog) geen respijtzorg; afgesproken is dat de IB-begeleider de belasting bij elke "
    "evaluatie bespreekt en zo nodig het mantelzorgsteunpunt inschakelt."
)
MOTIVATION = (
    "De mantelzorger krijgt respijtzorg via het mantelzorgsteunpunt; de begeleiding richt zich op de andere "
    "leefdomeinen, wat de mantelzorger ook ontlast."
)


class MantelzorgMixin:
    """Part of the Generator: the mantelzorgers of an onderzoek and what they ask of the indication."""

    def _mantelzorgers(self, rows: Rows, state: ClientState, intake, day: date) -> None:
        rng = random.Random(f"mantelzorg-{state.client.bsn}-{day.isoformat()}")
        intake.demo_overloaded = intake.demo_unsupported = False
        if rng.random() >= MANTELZORG_SHARE:
            return
        network = any(domain.code == "sociaal-netwerk" for domain in state.domains)
        loads = LOADS_NETWORK if network else LOADS_OTHER
        for number in range(2 if rng.random() < SECOND_MANTELZORGER_SHARE else 1):
            relation = rng.choices(list(RELATIONS), weights=list(RELATIONS.values()))[0]
            if number and relation == R.PARTNER:
                relation = R.CHILD
            load = rng.choices(list(loads), weights=list(loads.values()))[0]
            low, high = HOURS[load]
            tasks = rng.sample([t for t in T.values if t != T.OTHER], k=rng.randint(1, 3))
            mantelzorger = MantelzorgerRow(
                intake=intake,
                name=rng.choice(NAMES) if rng.random() < 0.7 else "",
                relation=relation,
                tasks=sorted(tasks, key=T.values.index),
                hours_per_week=rng.randint(low, high),
                load=load,
                lives_with_client=relation == R.PARTNER or rng.random() < 0.1,
                notes=NOTES.get(load, ""),
                recorded_by=state.consultant,
                recorded_at=Clock(rng, self.tz).at(day),
            )
            heavy = load in (L.HEAVY, L.OVERLOADED)
            mantelzorger.respite_offered = heavy and rng.random() < 0.5
            mantelzorger.support_offered = heavy and rng.random() < 0.55
            rows.mantelzorgers.append(mantelzorger)
            # The rule of Mantelzorger.is_overloaded, on the row (the demo writes rows, not models).
            model = Mantelzorger(load=load, hours_per_week=mantelzorger.hours_per_week)
            if model.is_overloaded:
                intake.demo_overloaded = True
                if not (mantelzorger.respite_offered or mantelzorger.support_offered):
                    intake.demo_unsupported = True

    def _conclude_mantelzorg(self, intake) -> None:
        """Art. 2.3.2 lid 4: the note for an overloaded mantelzorger without respijtzorg or support."""
        if getattr(intake, "demo_unsupported", False):
            intake.mantelzorg_notes = NO_SUPPORT_NOTE

    def _mantelzorg_in_indication(self, ind: IndicationRow, results: list[tuple[IndicationResultRow, list]]) -> None:
        """The result "voorkomen van overbelasting" where the indication works on the sociaal netwerk,
        else a motivation: what ib_rules.mantelzorg_errors asks for an overloaded mantelzorger."""
        aanvraag = ind.aanvraag
        intake = aanvraag.intake if aanvraag is not None else None
        if intake is None or not getattr(intake, "demo_overloaded", False):
            return
        for row, chosen in results:
            overload = [sub for sub in self.ref.subs.get(row.result.id, []) if sub.prevents_network_overload]
            if overload:
                chosen.extend(sub for sub in overload if sub not in chosen)
                return
        ind.mantelzorg_motivation = MOTIVATION
