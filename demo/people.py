"""Users with their roles, the three teams with enough consultants, about 50 providers and their contracts."""

from __future__ import annotations

import io
import random
import unicodedata
import zlib
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from openpyxl import Workbook

from accounts import roles
from accounts.models import Team
from indications.models import Municipality, Product, Tariff
from providers.models import ClientSatisfaction, Contract, Provider, ReferenceGroup
from providers.satisfaction import import_client_satisfaction

from .figures import (
    CLIENTS_PER_CONSULTANT,
    DEMO_USERS,
    FIRST_DAY,
    FIRST_NAMES,
    LAST_NAMES,
    POPULATION,
    PROVIDERS,
    TEAM_LEAD,
    TEAMS,
)


def ascii_name(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def ensure_demo_users() -> list[tuple[str, str]]:
    """The demo logins with their roles (idempotent; passwords are reset to the documented ones)."""
    if Group.objects.filter(name__in={user[4] for user in DEMO_USERS}).count() < len({user[4] for user in DEMO_USERS}):
        roles.sync_roles()
    user_model = get_user_model()
    logins = []
    for username, password, first_name, last_name, role, staff, superuser in DEMO_USERS:
        user, _created = user_model.objects.get_or_create(username=username)
        user.first_name, user.last_name = first_name, last_name
        user.email = f"{username}@sdd.example.nl"
        user.is_active, user.is_staff, user.is_superuser = True, staff, superuser
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        logins.append((username, password))
    return logins


def ensure_demo_teams(*, clients: int) -> dict[str, list]:
    """The three teams with their municipalities, the team lead in each, and enough consultants for
    the case load (the named demo consultants first; colleagues cannot log in)."""
    user_model = get_user_model()
    municipalities = {m.name: m for m in Municipality.objects.all()}
    total = sum(POPULATION.get(name, 20_000) for name in municipalities) or 1
    lead = user_model.objects.get(username=TEAM_LEAD)
    consultant_group = Group.objects.get(name=roles.CONSULENT)
    consultants_by_team = {}
    for name, code, municipality_names, named in TEAMS:
        team, _created = Team.objects.get_or_create(name=name)
        members = [municipalities[m] for m in municipality_names if m in municipalities]
        team.municipalities.add(*members)
        share = sum(POPULATION.get(m.name, 20_000) for m in members) / total
        wanted = max(1, round(share * clients / CLIENTS_PER_CONSULTANT))
        consultants = [user_model.objects.get(username=named)] if named else []
        for number in range(1, wanted - len(consultants) + 1):
            username = f"consulent-{code}-{number:02d}"
            user, created = user_model.objects.get_or_create(username=username)
            if created:
                names = random.Random(username)
                user.first_name = names.choice(FIRST_NAMES[names.choice("VM")])
                prefix, last_name = names.choice(LAST_NAMES)
                user.last_name = f"{prefix} {last_name}".strip()
                user.email = f"{username}@sdd.example.nl"
                user.set_unusable_password()
                user.save()
                user.groups.add(consultant_group)
            consultants.append(user)
        team.members.add(lead, *consultants)
        consultants_by_team[name] = consultants
    return consultants_by_team


def ensure_demo_providers() -> list[Provider]:
    """About 50 providers in the six reference groups, with their contracts (idempotent on the AGB-code)."""
    groups = {group.number: group for group in ReferenceGroup.objects.all()}
    providers = []
    for number, entries in PROVIDERS.items():
        if number not in groups:
            continue
        for rank, (name, since) in enumerate(entries, start=1):
            agb_code = f"98{number:02d}{rank:04d}"
            provider = Provider.objects.filter(agb_code=agb_code).first()
            if provider is None:
                provider = Provider.objects.create(
                    name=name,
                    agb_code=agb_code,
                    reference_group=groups[number],
                    contact_email=f"zorgbemiddeling@{ascii_name(name)}.example.nl",
                    contact_phone=f"078-{6000000 + number * 100_000 + rank * 137:07d}",
                )
            provider.demo_since, provider.demo_weight = since, 1 / rank**0.7
            providers.append(provider)
    _ensure_demo_contracts(providers)
    return providers


SATISFACTION_YEARS = 3  # the cliëntervaringsonderzoek of the last full years
SATISFACTION_PRODUCTS = ("IB1", "IB2", "IB3")


def ensure_demo_satisfaction(providers: list[Provider], *, today: date) -> int:
    """The cliëntervaringsonderzoek of the last full years per demo provider and product, scores 7.3-8.8
    so about one in eight is below the target 7.5; imported as contract management does, through an
    XLSX file and the import service. Idempotent: a year that has results is left alone. Returns the
    number of results imported."""
    years = [year for year in range(today.year - SATISFACTION_YEARS, today.year) if year >= 2016]
    years = [year for year in years if not ClientSatisfaction.objects.filter(year=year).exists()]
    codes = sorted(Product.objects.filter(code__in=SATISFACTION_PRODUCTS).values_list("code", flat=True))
    if not years or not providers or not codes:
        return 0
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Aanbieder", "Product", "Jaar", "Respondenten", "Score", "Positief", "Neutraal", "Negatief"])
    for provider in providers:
        for code in codes:
            for year in years:
                spread = zlib.crc32(f"{provider.agb_code}-{code}-{year}".encode())
                respondents = 5 + spread % 40
                negative, neutral = respondents // 10, respondents // 5
                score = 7.3 + (spread >> 8) % 16 / 10
                sheet.append(
                    [
                        provider.agb_code,
                        code,
                        year,
                        respondents,
                        round(score, 1),
                        respondents - neutral - negative,
                        neutral,
                        negative,
                    ]
                )
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "demo-clientervaringsonderzoek.xlsx"
    return import_client_satisfaction(buffer, by=None, today=today).rows


def _ensure_demo_contracts(providers: list[Provider]) -> None:
    """Every demo provider has a contract for the products that have a tariff, from its first year:
    a new contract period starts when a product is added (IB0 in August 2018). Idempotent."""
    first_tariff = {}
    for tariff in Tariff.objects.all():
        first_tariff[tariff.product_id] = min(tariff.valid_from, first_tariff.get(tariff.product_id, tariff.valid_from))
    products = [p for p in Product.objects.all() if p.pk in first_tariff]
    for provider in providers:
        begin = date(max(provider.demo_since, FIRST_DAY.year), 1, 1)
        starts = sorted({begin} | {day for day in first_tariff.values() if day > begin})
        for number, valid_from in enumerate(starts):
            valid_to = starts[number + 1] - timedelta(days=1) if number + 1 < len(starts) else None
            contract, _created = Contract.objects.get_or_create(
                provider=provider, valid_from=valid_from, defaults={"valid_to": valid_to}
            )
            contract.products.add(*[p for p in products if first_tariff[p.pk] <= valid_from])
    contracts = {}
    for contract in Contract.objects.filter(provider__in=providers).prefetch_related("products"):
        contracts.setdefault(contract.provider_id, []).append(
            (contract.valid_from, contract.valid_to, {p.pk for p in contract.products.all()})
        )
    for provider in providers:
        provider.demo_contracts = contracts.get(provider.pk, [])
