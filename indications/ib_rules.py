"""The IB rules of DOMAIN.md: a pure module (reads, never writes).

`check_ib_rules` lists every rule a concept breaks, each a ValidationError with a Dutch message and
a stable code; the vaststelling refuses a concept that breaks any (beschikking_services), and the
beschikking page shows them before. `one_indication_errors` is the check of one indication per
aanvraag and one successor per beschikking that saving a concept runs.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from ui.tables import euro

from .decisions import decision_errors
from .membership import membership_errors
from .models import Indication, OtherProvision, ResultDomain
from .pgb import pgb_errors
from .selectors import (
    beschikking_cost,
    cost_reference_for,
    dagdelen_cost_per_period,
    latest_zrm_assessment,
    overloaded_mantelzorgers_of,
    tariff_for,
)
from .workflow import GRANTED_STATUSES, LIVE_STATUSES, VOID_STATUSES

S = Indication.Status


def one_indication_errors(indication: Indication) -> dict[str, str]:
    """One aanvraag leads to one indication, and a beschikking has one successor; a withdrawn one
    makes room for a new one. (Constraints in the database back this up.)"""
    errors = {}
    others = Indication.objects.exclude(status__in=VOID_STATUSES).exclude(pk=indication.pk)
    if indication.aanvraag_id is not None and indication.replaces_id is None:
        other = others.filter(aanvraag_id=indication.aanvraag_id, replaces__isnull=True).first()
        if other is not None:
            errors["aanvraag"] = _(
                "Bij deze aanvraag hoort al %(indication)s. Wijzig die, of trek haar in voordat u een nieuwe "
                "indicatie opstelt."
            ) % {"indication": other.number or _("een concept-indicatie")}
    if indication.replaces_id is not None:
        other = others.filter(replaces_id=indication.replaces_id).first()
        if other is not None:
            errors["replaces"] = _("Beschikking %(number)s wordt al vervangen door %(other)s.") % {
                "number": indication.replaces.number,
                "other": other.number or _("een concept-indicatie"),
            }
    return errors


def check_ib_rules(indication: Indication, *, today: date) -> list[ValidationError]:
    """Every IB rule of DOMAIN.md that this indication breaks, each with a Dutch message. An afwijzing
    grants no IB, so only the rules of a refusal apply to it (indications.decisions)."""
    if indication.is_refusal:
        return decision_errors(indication)
    errors: list[ValidationError] = []
    product = indication.product
    results = list(indication.results.select_related("result__domain"))
    result_domains = {item.result.domain for item in results}

    if not results:
        errors.append(ValidationError(_("Leg ten minste één resultaat vast."), code="no_results"))

    # Dates and duration.
    if indication.end_date and indication.end_date <= indication.start_date:
        errors.append(ValidationError(_("De einddatum moet na de ingangsdatum liggen."), code="end_before_start"))
    if product.requires_end_date and indication.end_date is None:
        errors.append(
            ValidationError(
                _("%(product)s is altijd eindig: vul een einddatum in.") % {"product": product.name},
                code="end_date_required",
            )
        )
    if product.max_duration_weeks and indication.end_date and indication.end_date > indication.start_date:
        if (indication.end_date - indication.start_date).days > product.max_duration_weeks * 7:
            errors.append(
                ValidationError(
                    _("%(product)s duurt ten hoogste %(weeks)s weken.")
                    % {"product": product.name, "weeks": product.max_duration_weeks},
                    code="duration_too_long",
                )
            )

    errors.extend(_retroactive_start_errors(indication, today=today))
    errors.extend(membership_errors(indication))
    errors.extend(_age_limit_errors(indication))

    # Opslag and tariff (a pgb's tariff is the pgb tariff, checked with the pgb's conditions).
    tariff = tariff_for(product, indication.start_date)
    errors.extend(pgb_errors(indication))
    if tariff is None and not indication.is_pgb:
        errors.append(
            ValidationError(
                _("Er is geen tarief voor %(product)s op %(date)s.")
                % {"product": product.name, "date": indication.start_date.strftime("%d-%m-%Y")},
                code="no_tariff",
            )
        )
    if indication.opslag:
        if not product.allows_opslag:
            errors.append(
                ValidationError(
                    _("Bij %(product)s is geen opslag mogelijk.") % {"product": product.name}, code="opslag"
                )
            )
        elif tariff is not None and tariff.opslag_per_period is None:
            errors.append(
                ValidationError(
                    _("Er is geen opslagtarief voor %(product)s op de ingangsdatum.") % {"product": product.name},
                    code="no_opslag_tariff",
                )
            )
        if not indication.opslag_motivation.strip():
            errors.append(
                ValidationError(
                    _("Motiveer de opslag (ernstige gedragsproblematiek, bijvoorbeeld PSY of NAH)."),
                    code="opslag_motivation",
                )
            )

    # Planned evaluations.
    planned = list(indication.planned_evaluations.filter(evaluation__isnull=True))
    if not planned:
        errors.append(ValidationError(_("Plan ten minste één evaluatiemoment."), code="no_evaluation"))
    for item in planned:
        if item.planned_on < indication.start_date or (indication.end_date and item.planned_on > indication.end_date):
            errors.append(
                ValidationError(
                    _("Evaluatiedatum %(date)s valt buiten de looptijd van de beschikking.")
                    % {"date": item.planned_on.strftime("%d-%m-%Y")},
                    code="evaluation_outside_period",
                )
            )

    # ZRM: results only in domains scored 2 or 3 (1 only where the ZRM domain allows acute care).
    assessment = latest_zrm_assessment(indication.client, on_or_before=today)
    scores = {score.domain_id: score for score in assessment.scores.all()} if assessment else {}
    if results and assessment is None:
        errors.append(
            ValidationError(_("Er is geen ZRM-meting voor deze cliënt; leg eerst de ZRM vast."), code="no_zrm")
        )
    elif results:
        for domain in sorted(result_domains, key=lambda d: d.order):
            errors.extend(_zrm_errors_for(domain, scores))

    # Domains that are IB territory only together with another (justitie with GG / verslaving).
    for domain in result_domains:
        required = set(domain.requires_any_of.all())
        if required and not (required & result_domains):
            errors.append(
                ValidationError(
                    _("Een resultaat op '%(domain)s' kan alleen samen met een resultaat op %(required)s.")
                    % {"domain": domain.name, "required": _(" of ").join(sorted(d.name for d in required))},
                    code="domain_requires_other",
                )
            )

    errors.extend(_overlap_errors(indication))

    # Seed 002: no IB where verblijf is necessary, nor where extramural costs more than intramural;
    # dagdelen dagbesteding filled in with IB need a dagbesteding; the primary domain is a result's.
    provisions = provisions_during(indication)
    errors.extend(verblijf_errors(indication, provisions))
    errors.extend(extramural_cost_errors(indication, provisions))
    errors.extend(dagdelen_dagbesteding_errors(indication, provisions))
    errors.extend(primary_domain_errors(indication.primary_domain, result_domains))
    errors.extend(mantelzorg_errors(indication))
    errors.extend(decision_errors(indication))  # a gedeeltelijke toekenning is motivated
    return errors


def prevents_network_overload(indication: Indication) -> bool:
    """One of the indication's results has the sub-result for preventing overload of the network
    (seed 002, sociaal netwerk: "Voorkomt overbelasting van het netwerk (ook: de mantelzorger leren)")."""
    return indication.results.filter(sub_results__prevents_network_overload=True).exists()


def mantelzorg_errors(indication: Indication) -> list[ValidationError]:
    """An onderzoek that found a mantelzorger at risk of overload (overbelast, or zwaar belast with
    intensive hours: Mantelzorger.overloaded_q) asks for the result "voorkomen van overbelasting"
    (seed 002; the mantelzorger's interest, seed 002 "steun en respijt"), or a motivation why not
    (field mantelzorg_motivation). The onderzoek is the one of the indication's aanvraag."""
    overloaded = overloaded_mantelzorgers_of(indication.aanvraag)
    if not overloaded or indication.mantelzorg_motivation.strip() or prevents_network_overload(indication):
        return []
    return [
        _field_error(
            "mantelzorg_motivation",
            _(
                "In het onderzoek is een mantelzorger vastgelegd die overbelast dreigt te raken (%(mantelzorgers)s). "
                "Neem het resultaat 'Sociaal netwerk' op met het subresultaat 'Voorkomt overbelasting van het "
                "netwerk', of motiveer waarom niet."
            ),
            {"mantelzorgers": ", ".join(f"{m}, {m.get_load_display()}, {m.hours_per_week} uur" for m in overloaded)},
            code="mantelzorger_overloaded",
        )
    ]


def age_on(date_of_birth: date, day: date) -> int:
    """Full years of age on `day`."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def _age_limit_errors(indication: Indication) -> list[ValidationError]:
    """A product with an age limit (IB4, for the step from the Jeugdwet at 18) is only for a client
    younger than that limit on the ingangsdatum."""
    limit = indication.product.age_limit
    if limit is None or indication.start_date is None:
        return []
    age = age_on(indication.client.date_of_birth, indication.start_date)
    if age < limit:
        return []
    return [
        ValidationError(
            _("%(product)s is voor jongeren tot %(limit)s jaar; de cliënt is op de ingangsdatum %(age)s.")
            % {"product": indication.product.name, "limit": limit, "age": age},
            code="age_limit",
        )
    ]


# The provisions whose verblijf shows that it is part of the support (seed 002, around line 211):
# beschermd wonen and Wlz care (Wlz is zorg met verblijf, or its equivalent at home). Opvang is a
# stay too, but often temporary (on the way to living independently): data cannot decide, so the
# consultant motivates.
VERBLIJF_KINDS = (OtherProvision.Kind.BESCHERMD_WONEN, OtherProvision.Kind.WLZ)
UNDECIDED_VERBLIJF_KINDS = (OtherProvision.Kind.OPVANG,)
# The extramural provisions that make up the total extramural support package with the IB.
EXTRAMURAL_KINDS = (
    OtherProvision.Kind.DAGBESTEDING,
    OtherProvision.Kind.HUISHOUDELIJKE_ONDERSTEUNING,
    OtherProvision.Kind.KORTDUREND_VERBLIJF,
    OtherProvision.Kind.VERVOER,
    OtherProvision.Kind.ZVW_BEHANDELING,
    OtherProvision.Kind.WIJKVERPLEGING,
)


def provisions_during(indication: Indication) -> list[OtherProvision]:
    """The client's other provisions that run on some day of the indication's period (up to the day
    it ended, for one ended early)."""
    provisions = OtherProvision.objects.filter(client_id=indication.client_id).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=indication.start_date)
    )
    last_day = indication.ended_on or indication.end_date
    if last_day:
        provisions = provisions.filter(start_date__lte=last_day)
    return list(provisions.order_by("start_date", "id"))


def _covers_period(provision: OtherProvision, indication: Indication) -> bool:
    """The provision runs on every day of the indication (an open-ended indication: from its start on)."""
    if provision.start_date > indication.start_date:
        return False
    if provision.end_date is None:
        return True
    return indication.end_date is not None and provision.end_date >= indication.end_date


def _period_text(provision: OtherProvision) -> str:
    end = provision.end_date.strftime("%d-%m-%Y") if provision.end_date else _("onbepaald")
    return f"{provision.get_kind_display()} {provision.start_date:%d-%m-%Y} – {end}"


def _field_error(field: str, message: str, params: dict, *, code: str) -> ValidationError:
    """An IB-rule error that names the indication's field where it is put right (params["field"])."""
    return ValidationError(message, code=code, params={**params, "field": field})


def verblijf_errors(indication: Indication, provisions: list[OtherProvision]) -> list[ValidationError]:
    """No IB where verblijf is a necessary part of the support (seed 002). A beschermd-wonen or Wlz
    provision over the whole period decides it: verblijf is part of the package, so no IB. Such a
    provision over part of the period (moving in or out) or opvang cannot be decided from data: then
    the consultant motivates why verblijf is not necessary (field verblijf_motivation)."""
    stays = [p for p in provisions if p.kind in VERBLIJF_KINDS]
    covering = [p for p in stays if _covers_period(p, indication)]
    if covering:
        return [
            ValidationError(
                _(
                    "Geen IB: de cliënt heeft in de hele looptijd %(provision)s. Verblijf is dan een noodzakelijk "
                    "onderdeel van de ondersteuning; begeleiding hoort bij dat pakket."
                ),
                code="verblijf_necessary",
                params={"provision": _period_text(covering[0])},
            )
        ]
    undecided = stays + [p for p in provisions if p.kind in UNDECIDED_VERBLIJF_KINDS]
    if undecided and not indication.verblijf_motivation.strip():
        return [
            _field_error(
                "verblijf_motivation",
                _(
                    "De cliënt heeft in de looptijd %(provisions)s. Motiveer waarom verblijf geen noodzakelijk "
                    "onderdeel van de ondersteuning is."
                ),
                {"provisions": ", ".join(_period_text(p) for p in undecided)},
                code="verblijf_motivation",
            )
        ]
    return []


def extramural_cost_errors(indication: Indication, provisions: list[OtherProvision]) -> list[ValidationError]:
    """No IB where the total extramural package costs more than an intramural one (seed 002).

    The package per 4 weeks: the IB (tariff, opslag, dagdelen dagbesteding as hours IB) plus the
    known cost of the client's other extramural provisions in the period, against the intramural
    package of the cost reference in force on the ingangsdatum (CostReference, admin). Dearer: no
    IB (the seed says "wordt niet geïndiceerd"). Where the cost of an extramural provision is
    unknown and the known package is cheaper, data cannot decide: the consultant motivates (field
    extramural_cost_motivation), or records the cost with the other provision."""
    reference = cost_reference_for(indication.start_date)
    cost = beschikking_cost(indication)
    if reference is None or cost.per_period is None:
        return []  # no tariff is its own error (no_tariff); without a reference nothing to compare with
    extramural = [p for p in provisions if p.kind in EXTRAMURAL_KINDS]
    known = sum((p.cost_per_period for p in extramural if p.cost_per_period is not None), Decimal(0))
    unknown = [p for p in extramural if p.cost_per_period is None]
    total = cost.per_period + known
    values = {
        "total": euro(total),
        "package": reference.intramural_package,
        "intramural": euro(reference.intramural_cost_per_period),
    }
    if total > reference.intramural_cost_per_period:
        return [
            ValidationError(
                _(
                    "Geen IB: het extramurale pakket kost %(total)s per 4 weken (IB en de bekende kosten van andere "
                    "voorzieningen), meer dan een intramuraal pakket (%(package)s: %(intramural)s per 4 weken)."
                ),
                code="extramural_exceeds_intramural",
                params=values,
            )
        ]
    if unknown and not indication.extramural_cost_motivation.strip():
        return [
            _field_error(
                "extramural_cost_motivation",
                _(
                    "De kosten van %(provisions)s zijn onbekend, dus is niet vast te stellen of het extramurale "
                    "pakket (bekend: %(total)s per 4 weken) goedkoper is dan een intramuraal pakket (%(intramural)s). "
                    "Vul de kosten in bij de andere voorzieningen, of motiveer."
                ),
                {**values, "provisions": ", ".join(p.get_kind_display() for p in unknown)},
                code="extramural_cost_motivation",
            )
        ]
    return []


def dagdelen_dagbesteding_errors(indication: Indication, provisions: list[OtherProvision]) -> list[ValidationError]:
    """Dagdelen dagbesteding can be filled in with IB only where the client has dagbesteding (seed
    002); they count as hours IB at the cost reference's hour rate, so one must be in force."""
    if not indication.dagbesteding_dagdelen_ib:
        return []
    errors = []
    if not any(p.kind == OtherProvision.Kind.DAGBESTEDING for p in provisions):
        errors.append(
            _field_error(
                "dagbesteding_dagdelen_ib",
                _(
                    "Dagdelen dagbesteding invullen met IB kan alleen als de cliënt in de looptijd dagbesteding "
                    "heeft (leg die vast bij de andere voorzieningen)."
                ),
                {},
                code="dagdelen_without_dagbesteding",
            )
        )
    if dagdelen_cost_per_period(indication) is None:
        errors.append(
            ValidationError(
                _("Er is geen kostenreferentie (uurtarief IB) op de ingangsdatum."), code="no_cost_reference"
            )
        )
    return errors


def primary_domain_errors(primary_domain: ResultDomain | None, result_domains: set) -> list[ValidationError]:
    """The primary life domain is the domain of one of the indication's results."""
    if primary_domain is None or primary_domain in result_domains:
        return []
    return [
        _field_error(
            "primary_domain",
            _("Het primaire leefdomein '%(domain)s' is geen domein van de gekozen resultaten."),
            {"domain": primary_domain.name},
            code="primary_domain_not_in_results",
        )
    ]


def melding_date_of(indication: Indication) -> date | None:
    """The day the client asked for this support: the melding of the aanvraag's onderzoek, else the aanvraag."""
    aanvraag = indication.aanvraag
    if aanvraag is None:
        return None
    if aanvraag.intake_id is not None:
        return aanvraag.intake.melding.received_on
    return aanvraag.received_on


def _continues_earlier_beschikking(indication: Indication) -> bool:
    """A replacement, or a beschikking of the same client that starts the day after an earlier one ends."""
    if indication.replaces_id is not None:
        return True
    return (
        Indication.objects.filter(
            client_id=indication.client_id,
            status__in=GRANTED_STATUSES,
            end_date=indication.start_date - timedelta(days=1),
        )
        .exclude(pk=indication.pk)
        .exists()
    )


def _retroactive_start_errors(indication: Indication, *, today: date) -> list[ValidationError]:
    """Terugwerkende kracht: the ingangsdatum lies before the melding (without an aanvraag: before the
    decision) only when the beschikking continues an earlier one or the consultant motivates it, and
    never more than RETROACTIVE_START_MAX_DAYS before."""
    reference = melding_date_of(indication) or indication.decision_date or today
    if indication.start_date >= reference:
        return []
    limit = settings.SDD["RETROACTIVE_START_MAX_DAYS"]
    values = {
        "start": indication.start_date.strftime("%d-%m-%Y"),
        "melding": reference.strftime("%d-%m-%Y"),
        "days": (reference - indication.start_date).days,
        "limit": limit,
    }
    if (reference - indication.start_date).days > limit:
        return [
            ValidationError(
                _(
                    "De ingangsdatum %(start)s ligt %(days)s dagen vóór de melding van %(melding)s. Met "
                    "terugwerkende kracht kan dat ten hoogste %(limit)s dagen: kies een latere ingangsdatum."
                )
                % values,
                code="retroactive_limit",
            )
        ]
    if not indication.retroactive_motivation.strip() and not _continues_earlier_beschikking(indication):
        return [
            ValidationError(
                _(
                    "De ingangsdatum %(start)s ligt vóór de melding van %(melding)s. Dat kan alleen als de "
                    "beschikking direct aansluit op een eerdere beschikking (herindicatie), of met een motivering "
                    "van de terugwerkende kracht."
                )
                % values,
                code="retroactive_start",
            )
        ]
    return []


def _zrm_errors_for(domain: ResultDomain, scores: dict) -> list[ValidationError]:
    zrm_domains = list(domain.zrm_domains.all())
    scored = [(zrm, scores[zrm.pk].score) for zrm in zrm_domains if zrm.pk in scores]
    if not scored:
        return [
            ValidationError(
                _("Voor resultaatgebied '%(domain)s' is geen ZRM-score vastgelegd (%(zrm)s).")
                % {"domain": domain.name, "zrm": ", ".join(zrm.name for zrm in zrm_domains)},
                code="zrm_missing",
            )
        ]
    if any(score in (2, 3) or (score == 1 and zrm.allows_acute_score) for zrm, score in scored):
        return []
    described = ", ".join(f"{zrm.name} {score}" for zrm, score in scored)
    if any(score == 1 for _zrm, score in scored):
        message = _(
            "Geen IB op '%(domain)s' bij acute problematiek (%(scores)s): score 1 is alleen IB-terrein bij "
            "dagbesteding en geestelijke gezondheid; hier bieden andere professionals hulp."
        )
        code = "zrm_acute"
    else:
        message = _("Geen IB op '%(domain)s': IB-resultaten alleen op domeinen met ZRM-score 2 of 3 (nu: %(scores)s).")
        code = "zrm_self_reliant"
    return [ValidationError(message % {"domain": domain.name, "scores": described}, code=code)]


def _overlap_errors(indication: Indication) -> list[ValidationError]:
    errors = []
    replaced = indication.replaces
    if replaced is not None:
        if replaced.status not in LIVE_STATUSES:
            errors.append(
                ValidationError(_("De te vervangen beschikking is niet (meer) geldig."), code="replaces_not_live")
            )
        if indication.kind == Indication.Kind.FIRST:
            errors.append(
                ValidationError(
                    _("Een beschikking die een andere vervangt is een op- of afschaling of herindicatie."),
                    code="replaces_kind",
                )
            )
        if indication.kind == Indication.Kind.SCALE_UP and indication.product.level <= replaced.product.level:
            errors.append(
                ValidationError(_("Bij opschaling is het nieuwe product zwaarder dan het oude."), code="not_heavier")
            )
        if indication.kind == Indication.Kind.SCALE_DOWN and indication.product.level >= replaced.product.level:
            errors.append(
                ValidationError(_("Bij afschaling is het nieuwe product lichter dan het oude."), code="not_lighter")
            )
        if indication.start_date <= replaced.start_date + timedelta(days=1):
            errors.append(
                ValidationError(
                    _("De ingangsdatum moet later liggen dan de dag na de ingang van de te vervangen beschikking."),
                    code="replaces_start",
                )
            )
    overlapping = Indication.objects.filter(client=indication.client, status__in=LIVE_STATUSES).exclude(
        pk=indication.pk
    )
    if replaced is not None:
        overlapping = overlapping.exclude(pk=replaced.pk)
    overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=indication.start_date))
    if indication.end_date:
        overlapping = overlapping.filter(start_date__lte=indication.end_date)
    for other in overlapping.select_related("product"):
        errors.append(
            ValidationError(
                _(
                    "Deze beschikking overlapt met %(number)s (%(product)s, %(start)s – %(end)s). Kies bij een op- "
                    "of afschaling welke beschikking deze vervangt."
                )
                % {
                    "number": other.number,
                    "product": other.product.name,
                    "start": other.start_date.strftime("%d-%m-%Y"),
                    "end": other.end_date.strftime("%d-%m-%Y") if other.end_date else _("onbepaald"),
                },
                code="overlap",
            )
        )
    return errors
