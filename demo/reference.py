"""The reference data the generator needs, loaded once into memory."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from accounts.models import Team
from indications.models import (
    ComplexityRule,
    IbResult,
    IbSubResult,
    Municipality,
    Product,
    ResultDomain,
    Tariff,
    ZrmDomain,
)
from providers.models import Provider

from .figures import POPULATION, TEAM_LEAD, TEAMS


@dataclass
class Reference:
    municipalities: list
    municipality_weights: list
    consultants: dict  # municipality pk → the consultants of its team
    team_lead: object
    zrm_domains: list
    result_domains: list
    domain_codes: dict  # result domain pk → code
    zrm_of_domain: dict  # result domain pk → [ZrmDomain]
    requires: dict  # result domain pk → {result domain pk}
    results: dict  # result domain pk → [IbResult]
    subs: dict  # IbResult pk → [IbSubResult]
    products: dict  # code → Product
    tariffs: dict  # product pk → [Tariff]
    rules: list
    providers: dict  # reference group number → [Provider]


def load_reference(providers: list[Provider], consultants_by_team: dict) -> Reference:
    municipalities = list(Municipality.objects.all())
    team_of = {}
    for team in Team.objects.filter(name__in=consultants_by_team).prefetch_related("municipalities"):
        for municipality in team.municipalities.all():
            team_of.setdefault(municipality.id, team.name)
    fallback = consultants_by_team[TEAMS[0][0]]
    result_domains = list(ResultDomain.objects.prefetch_related("zrm_domains", "requires_any_of"))
    results, subs, tariffs, by_group = {}, {}, {}, {}
    for result in IbResult.objects.all():
        results.setdefault(result.domain_id, []).append(result)
    for sub in IbSubResult.objects.all():
        subs.setdefault(sub.result_id, []).append(sub)
    for tariff in Tariff.objects.all():
        tariffs.setdefault(tariff.product_id, []).append(tariff)
    for provider in providers:
        by_group.setdefault(provider.reference_group.number, []).append(provider)
    active_zrm = {zrm.id for zrm in ZrmDomain.objects.filter(is_active=True)}
    usable = [d for d in result_domains if d.id in results and any(z.id in active_zrm for z in d.zrm_domains.all())]
    return Reference(
        municipalities=municipalities,
        municipality_weights=[POPULATION.get(m.name, 20_000) for m in municipalities],
        consultants={m.id: consultants_by_team.get(team_of.get(m.id), fallback) for m in municipalities},
        team_lead=get_user_model().objects.get(username=TEAM_LEAD),
        zrm_domains=list(ZrmDomain.objects.filter(is_active=True)),
        result_domains=usable,
        domain_codes={d.id: d.code for d in usable},
        zrm_of_domain={d.id: [z for z in d.zrm_domains.all() if z.id in active_zrm] for d in usable},
        requires={d.id: {r.id for r in d.requires_any_of.all()} for d in usable},
        results=results,
        subs=subs,
        products={p.code: p for p in Product.objects.all()},
        tariffs=tariffs,
        rules=list(ComplexityRule.objects.filter(is_active=True).select_related("product")),
        providers=by_group,
    )
