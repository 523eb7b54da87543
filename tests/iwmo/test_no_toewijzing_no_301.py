"""The WMO301 hangs off toewijzingen: a decision that assigns no provider sends none. A pgb (the
budgetholder buys the care) and an afwijzing (nothing granted) leave the outbox empty; a pgb that
replaces a natura beschikking tells the old provider its toewijzing ends (reden wijziging 08)."""

from datetime import timedelta

import pytest

from indications import services
from indications.models import ComplexityRule, Indication
from iwmo import codes, wmo301
from iwmo.models import OutgoingMessage
from providers.models import Assignment
from tests.factories import IndicationFactory, PgbBudgetFactory, contracted_provider
from tests.indications.test_afwijzing import refuse_and_issue

pytestmark = pytest.mark.django_db


def sent_301s(**filters):
    return list(OutgoingMessage.objects.filter(message_type=codes.MessageType.WMO301, **filters).order_by("id"))


def test_a_pgb_beschikking_sends_no_301(ib_client, today):
    ComplexityRule.objects.update(is_active=False)
    pgb = PgbBudgetFactory(indication__client=ib_client).indication
    services.issue_beschikking(pgb, by=pgb.consultant, today=today)
    assert not Assignment.objects.exists()
    assert sent_301s() == []


def test_a_pgb_replacing_natura_sends_the_old_provider_the_end_with_reden_08(ib_client, today):
    ComplexityRule.objects.update(is_active=False)
    provider = contracted_provider()
    natura = IndicationFactory(client=ib_client, provider=provider, start_date=today, aanvraag=None)
    services.issue_beschikking(natura, by=natura.consultant, today=today)
    (first,) = sent_301s(provider=provider)
    OutgoingMessage.objects.filter(pk=first.pk).update(status=OutgoingMessage.Status.DELIVERED)
    pgb = PgbBudgetFactory(
        indication__client=ib_client,
        indication__replaces=natura,
        indication__kind=Indication.Kind.HERINDICATIE,
        indication__aanvraag=None,
        indication__start_date=today + timedelta(days=14),
    ).indication
    services.issue_beschikking(pgb, by=pgb.consultant, today=today)
    (_, ended) = sent_301s(provider=provider)
    (product,) = wmo301.parse(ended.xml.encode()).producten
    assignment = Assignment.objects.get(indication=natura)
    assert product.nummer == int(assignment.number)
    assert (product.einddatum, product.reden_wijziging) == (pgb.start_date - timedelta(days=1), "08")
    assert len(sent_301s()) == 2  # nothing for the pgb itself


def test_an_afwijzing_sends_no_301(case_file, consultant, team_lead, today):
    refused = refuse_and_issue(case_file, consultant, team_lead, today)
    assert refused.status == Indication.Status.AFGEWEZEN
    assert sent_301s() == []
