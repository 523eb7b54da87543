"""Clients: who they are, where they live, their provider group and the provisions they already have."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from indications.models import OtherProvision, Product
from providers.models import Provider

from .figures import (
    FIRST_DAY,
    FIRST_NAMES,
    GROUP_CLIENTS,
    LAST_NAMES,
    POSTCODES,
    PROVISION_COST_KNOWN,
    PROVISION_COSTS,
    PROVISION_NOTES,
    STREETS,
    Plan,
)
from .people import ascii_name
from .rows import ClientRow, ClientState, OtherProvisionRow, Rows


class ClientsMixin:
    """Part of the Generator: the client and what the client already has."""

    def _first_melding_day(self) -> date:
        if self.rng.random() < 0.02:  # new clients: open work on the worklists today
            return self.today - timedelta(days=self.rng.randint(1, 60))
        # The case load grew over the years (1,572 clients in 2015 → 2,720 in 2019): later years weigh more.
        span = (self.today - FIRST_DAY).days - 30
        return FIRST_DAY + timedelta(days=int(span * self.rng.random() ** 0.8))

    def new_client(self, rows: Rows, bsn: str, first_day: date, *, scenario: bool, youth: str = "") -> ClientState:
        rng, ref = self.rng, self.ref
        gender = rng.choices(["V", "M", "X"], weights=[52, 46, 2])[0]
        # New clients got younger: average age 57 in 2016, 43 from 2019 (seed 000).
        progress = min(max((first_day.year - 2016) / 3, 0), 1)
        age = int(rng.triangular(18, 92, 60 - 40 * progress))
        born = first_day - timedelta(days=age * 365 + rng.randint(0, 364))
        if youth == "nearing":  # jeugdhulp, 18 within one to five months from today
            born = add_years(self.today + timedelta(days=rng.randint(30, 150)), -18)
        elif youth == "step":  # comes in from the Jeugdwet in the year after the 18th birthday
            born = add_years(first_day - timedelta(days=rng.randint(0, 365)), -18)
        prefix, last_name = rng.choice(LAST_NAMES)
        household = rows.clients[-1] if rows.clients and not scenario and rng.random() < 0.06 else None
        if household is not None and not household.municipality.is_member_on(first_day):
            household = None  # that address's municipality was no member of the SDD yet
        if household is not None:  # a second client at the same address: a household
            municipality = household.municipality
            street, number, postcode = household.street, household.house_number, household.postcode
            if rng.random() < 0.7:
                prefix, last_name = household.name_prefix, household.last_name
        else:
            if scenario:
                municipality = self.scenario_municipality
            else:
                # Only a municipality that was a member of the SDD on the first day (member_from).
                weights = [
                    weight if m.is_member_on(first_day) else 0
                    for m, weight in zip(ref.municipalities, ref.municipality_weights, strict=True)
                ]
                municipality = rng.choices(ref.municipalities, weights=weights)[0]
            street = rng.choice(STREETS.get(municipality.name, ["Dorpsstraat", "Kerkstraat", "Molenweg"]))
            number = str(rng.randint(1, 250)) + rng.choice(["", "", "", "", "A", "B"])
            low, high = POSTCODES.get(municipality.name, (3300, 3399))
            letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
            # PostNL does not issue SA, SD and SS (validators.validate_postcode); same draws, other letters.
            letters = {"SA": "SB", "SD": "SE", "SS": "ST"}.get(letters, letters)
            postcode = f"{rng.randint(low, high)} {letters}"
        first_name = rng.choice(FIRST_NAMES[gender])
        second = rng.choice(FIRST_NAMES[gender]) if rng.random() < 0.4 else ""
        client = ClientRow(
            bsn=bsn,
            initials=f"{first_name[0]}." + (f"{second[0]}." if second else ""),
            first_name=first_name,
            name_prefix=prefix,
            last_name=last_name,
            date_of_birth=born,
            gender=gender,
            municipality=municipality,
            street=street,
            house_number=number,
            postcode=postcode,
            city=municipality.name,
            phone=f"06-{rng.randint(10000000, 99999999)}",
            email=f"{ascii_name(first_name)}.{ascii_name(last_name)}{rng.randint(1, 99)}@example.nl"
            if rng.random() < 0.35
            else "",
            created_at=self._at(first_day),
        )
        rows.clients.append(client)
        consultants = ref.consultants[municipality.id]
        consultant = consultants[0] if scenario else rng.choice(consultants)
        return ClientState(client=client, consultant=consultant, born=born, youth=youth)

    def _age(self, state: ClientState, day: date) -> int:
        return (day - state.born).days // 365

    def _choose_group(self, state: ClientState, day: date) -> int:
        age = self._age(state, day)
        year = min(max(day.year, 2016), 2019) - 2016
        affinity = {
            1: 1.0,
            2: 1.2 if 23 <= age <= 65 else 0.6,
            3: 1.0,
            4: 2.5 if age < 30 else (1.0 if age < 50 else 0.2),
            5: 1.1 if age >= 60 else 0.9,
            6: 8.0 if age >= 75 else (3.0 if age >= 65 else 0.5 if age >= 55 else 0.03),
        }
        groups = [g for g in GROUP_CLIENTS if g in self.ref.providers]
        return self.rng.choices(groups, weights=[GROUP_CLIENTS[g][year] * affinity[g] for g in groups])[0]

    def _covered(self, provider: Provider | None, product: Product, day: date) -> bool:
        """ensure_contract_covers, in memory."""
        return provider is not None and any(
            valid_from <= day and (valid_to is None or valid_to >= day) and product.id in products
            for valid_from, valid_to, products in provider.demo_contracts
        )

    def _choose_provider(self, group: int, day: date, product: Product) -> Provider | None:
        contracted = [p for p in self.ref.providers[group] if self._covered(p, product, day)]
        if not contracted:
            contracted = [p for ps in self.ref.providers.values() for p in ps if self._covered(p, product, day)]
        if not contracted:
            return None
        return self.rng.choices(contracted, weights=[p.demo_weight for p in contracted])[0]

    def _plan_provider(self, plan: Plan) -> Provider | None:
        """The provider a scenario names (its AGB code), if any."""
        if plan.provider is None:
            return None
        return next((p for ps in self.ref.providers.values() for p in ps if p.agb_code == plan.provider), None)

    def _heavier(self, product: Product, day: date) -> Product | None:
        heavier = sorted(
            # A product with an age limit (IB4) is for the youth who start on it, not a general opschaling.
            (
                p
                for p in self.ref.products.values()
                if p.level > product.level and p.age_limit is None and self._tariff(p, day)
            ),
            key=lambda p: p.level,
        )
        return heavier[0] if heavier else None

    # -- ZRM ----------------------------------------------------------------------------------
    # -- provisions besides IB (for stacking) -------------------------------------------------

    def _provisions(self, rows: Rows, state: ClientState, day: date) -> None:
        """Provisions the client already has at the first onderzoek, recorded by the consultant then."""
        rng, age, group = self.rng, self._age(state, day), state.group
        kinds = OtherProvision.Kind
        chances = [
            (kinds.HUISHOUDELIJKE_ONDERSTEUNING, 0.3 if age >= 65 else 0.08),
            (kinds.DAGBESTEDING, 0.2 if group in (1, 4) else 0.06),
            (kinds.BIJSTAND, 0.3 if age < 67 else 0.0),
            (kinds.ZVW_BEHANDELING, 0.45 if group == 2 else 0.25 if group == 3 else 0.05),
            (kinds.WIJKVERPLEGING, 0.2 if age >= 70 else 0.02),
            (kinds.BESCHERMD_WONEN, 0.04 if group in (2, 3) else 0.0),
        ]
        for kind, chance in chances:
            if rng.random() >= chance:
                continue
            start = day - timedelta(days=rng.randint(30, 5 * 365))
            if kind == kinds.BESCHERMD_WONEN:  # IB follows the uitstroom from beschermd wonen
                end = day - timedelta(days=rng.randint(1, 60))
                start = min(start, end - timedelta(days=180))
            else:
                end = None if rng.random() < 0.7 else day + timedelta(days=rng.randint(30, 900))
            self._provision(rows, state, kind, start, end, recorded=day)

    def _jeugdhulp(self, rows: Rows, state: ClientState, day: date) -> None:
        """The step at 18: jeugdhulp since childhood, recorded on `day`; open for a youth nearing 18,
        ending around the 18th birthday (or running on, as the Jeugdwet allows) for one who came in."""
        rng = self.rng
        start = min(add_years(state.born, rng.randint(10, 16)), day - timedelta(days=90))
        end = None
        if state.youth == "step" and rng.random() < 0.8:
            end = max(add_years(state.born, 18) + timedelta(days=rng.randint(0, 120)), start)
        self._provision(rows, state, OtherProvision.Kind.JEUGDHULP, start, end, recorded=day)

    def _provision(self, rows: Rows, state: ClientState, kind, start: date, end: date | None, *, recorded) -> None:
        state.provisions.append((kind, start, end))
        cost = None
        if kind in PROVISION_COSTS:
            if self.rng.random() < PROVISION_COST_KNOWN:
                cost = Decimal(self.rng.randint(*PROVISION_COSTS[kind]))
            else:
                state.unknown_cost.add((kind, start))
        rows.provisions.append(
            OtherProvisionRow(
                client=state.client,
                kind=kind,
                start_date=start,
                end_date=end,
                cost_per_period=cost,
                notes=PROVISION_NOTES.get(kind, ""),
                recorded_by=state.consultant,
                recorded_at=self._at(recorded),
            )
        )


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years; 29 February falls on 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def valid_bsns(start: int = 0):
    """Deterministic valid BSNs: "2" + a seven-digit counter + the elfproef check digit."""
    counter = start
    while True:
        digits = f"2{counter:07d}"
        counter += 1
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check <= 9:
            yield digits + str(check)
