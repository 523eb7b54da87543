"""A beschikking withdrawn (ingetrokken) after its vaststelling: decided, but neither live nor
granted (indications.workflow). Each consumer of the status sets is checked on it: the case
file, the monitor (decisions taken versus care), the signals and the provider selectors."""

from datetime import date, timedelta

import pytest

from indications.models import DECIDED, GRANTED_STATUSES, LIVE_STATUSES, Indication, IndicationStatus
from indications.selectors import worklist
from indications.services import withdraw_beschikking
from indications.workflow import DECIDED as WORKFLOW_DECIDED
from indications.workflow import LIVE_STATUSES as WORKFLOW_LIVE
from monitor.models import Cell
from monitor.selectors import ceo_population
from monitor.services import granted_beschikkingen, refresh_monitor
from providers.selectors import provider_overview
from signals.checks import CHECKS_BY_NAME
from signals.models import Signal, SignalType
from signals.selectors import stacking_timeline
from signals.services import run_check
from tests.factories import TODAY, AanvraagFactory, IndicationFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def withdrawn_after_decision(consultant, **fields) -> Indication:
    indication = IndicationFactory(vastgesteld=True, consultant=consultant, **fields)
    return withdraw_beschikking(indication, by=consultant, reason="Bezwaar gegrond", today=TODAY)


def test_the_workflow_re_exports_the_one_definition():
    assert WORKFLOW_LIVE is LIVE_STATUSES and WORKFLOW_DECIDED is DECIDED
    assert set(LIVE_STATUSES) < set(GRANTED_STATUSES)
    assert IndicationStatus.INGETROKKEN not in GRANTED_STATUSES


def test_a_withdrawn_beschikking_was_decided_but_is_not_live(consultant):
    withdrawn = withdrawn_after_decision(consultant)
    never_decided = withdraw_beschikking(
        IndicationFactory(consultant=consultant), by=consultant, reason="Aanvraag ingetrokken", today=TODAY
    )
    assert withdrawn.status == IndicationStatus.INGETROKKEN and withdrawn.decision_date is not None
    assert withdrawn.is_decided and not withdrawn.is_live and not never_decided.is_decided
    assert list(Indication.objects.filter(DECIDED)) == [withdrawn]
    assert not Indication.objects.filter(status__in=LIVE_STATUSES).exists()
    assert not Indication.objects.filter(status__in=GRANTED_STATUSES).exists()


def test_the_worklist_treats_its_aanvraag_as_decided(consultant):
    withdrawn = withdrawn_after_decision(consultant)
    open_aanvraag = AanvraagFactory(consultant=consultant, client=withdrawn.client)
    withdrawn.aanvraag.consultant = consultant
    withdrawn.aanvraag.save()
    work = worklist(consultant, today=TODAY)
    assert list(work["open_aanvragen"]) == [open_aanvraag]


# -- monitor -------------------------------------------------------------------------------------------


def test_the_monitor_counts_it_as_a_decision_of_the_year_but_not_as_care(consultant):
    withdrawn = withdrawn_after_decision(consultant, start_date=date(2026, 2, 1), end_date=date(2026, 12, 31))
    granted = IndicationFactory(
        vastgesteld=True, consultant=consultant, start_date=date(2026, 2, 1), end_date=date(2026, 12, 31)
    )
    assert list(granted_beschikkingen()) == [granted]
    # The cliëntervaringsonderzoek: clients with a beschikking in force or decided in the year.
    population = sorted(row[3] for row in ceo_population(2026).rows)
    assert population == sorted([withdrawn.client.last_name, granted.client.last_name])
    assert [row[3] for row in ceo_population(2025).rows] == []
    # The cube is about care: only the granted beschikking is instroom and a client.
    refresh_monitor(today=TODAY, first_year=2026, last_year=2026)
    year = Cell.objects.filter(year=2026, period=Cell.YEAR)
    assert sum(year.values_list("instroom", flat=True)) == 1
    assert sum(year.values_list("clients", flat=True)) == 1


# -- signals ---------------------------------------------------------------------------------------------


def test_its_aanvraag_meets_the_beschikking_term(consultant):
    aanvraag = AanvraagFactory(consultant=consultant, received_on=TODAY - timedelta(days=20))
    withdrawn_after_decision(consultant, client=aanvraag.client, aanvraag=aanvraag)
    undecided = AanvraagFactory(consultant=consultant, received_on=TODAY - timedelta(days=20))
    run_check(CHECKS_BY_NAME["termijn_beschikking"], today=TODAY, force=True)
    assert list(Signal.objects.filter(type=SignalType.BESCHIKKING_DEADLINE).values_list("aanvraag", flat=True)) == [
        undecided.pk
    ]


def test_it_is_not_on_the_clients_timeline(consultant):
    withdrawn = withdrawn_after_decision(consultant)
    granted = IndicationFactory(actief=True, consultant=consultant, client=withdrawn.client)
    bars, _first, _last = stacking_timeline(withdrawn.client, today=TODAY)
    assert [(bar.kind, bar.start) for bar in bars] == [("ib", granted.start_date)]


# -- providers -------------------------------------------------------------------------------------------


def test_the_provider_overview_counts_it_among_the_beschikkingen_but_not_the_live_ones(consultant):
    provider = ProviderFactory()
    withdrawn_after_decision(consultant, provider=provider)
    IndicationFactory(vastgesteld=True, consultant=consultant, provider=provider)
    IndicationFactory(beeindigd=True, consultant=consultant, provider=provider)
    IndicationFactory(consultant=consultant, provider=provider)  # a concept: not decided
    row = provider_overview(today=TODAY).get(pk=provider.pk)
    assert (row.live_beschikkingen, row.beschikkingen_total) == (1, 3)
