"""The persoonlijk plan on the consultant's worklist (art. 2.3.2 lid 2 Wmo 2015): a signal that is
open while the 7 days after the melding run and the onderzoek has no answer on the plan, and that
lapses when a plan (or "niet ontvangen") is recorded, when the onderzoek is concluded, or when the
term ends."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from indications import services
from indications.models import Melding
from signals.checks import CHECKS_BY_NAME
from signals.models import Signal, SignalStatus, SignalType, Urgency
from signals.services import run_check
from tests.factories import TODAY, ClientFactory, MeldingFactory

pytestmark = pytest.mark.django_db

CHECK = CHECKS_BY_NAME["persoonlijk_plan"]


def run(today):
    return run_check(CHECK, today=today, force=True)


def plan_signals():
    return Signal.objects.filter(type=SignalType.PERSOONLIJK_PLAN)


def test_a_running_term_is_a_warning_for_the_consultant_due_on_the_last_day(consultant):
    melding = MeldingFactory(consultant=consultant, received_on=TODAY - timedelta(days=3))
    assert run(TODAY).created == 1
    signal = plan_signals().get()
    assert signal.assigned_to == consultant and signal.melding == melding and signal.client == melding.client
    assert (signal.urgency, signal.due_date) == (Urgency.WARNING, melding.received_on + timedelta(days=7))
    assert run(TODAY).created == 0 and plan_signals().count() == 1  # a second run makes no duplicate


@pytest.mark.parametrize(("days_after", "open_"), [(0, True), (7, True), (8, False)])
def test_the_signal_is_there_up_to_and_including_the_seventh_day(consultant, days_after, open_):
    MeldingFactory(consultant=consultant, received_on=TODAY - timedelta(days=days_after))
    run(TODAY)
    assert plan_signals().filter(status=SignalStatus.OPEN).exists() is open_


def test_the_signal_lapses_when_the_term_ends(consultant):
    melding = MeldingFactory(consultant=consultant, received_on=TODAY - timedelta(days=7))
    run(TODAY)
    assert run(TODAY + timedelta(days=1)).lapsed == 1
    assert plan_signals().get().status == SignalStatus.LAPSED
    assert melding.intake.persoonlijk_plan_term_runs(TODAY + timedelta(days=1)) is False


def test_registering_a_melding_raises_it_at_once(consultant):
    client = ClientFactory()
    services.register_melding(
        client=client,
        received_on=TODAY,
        channel=Melding.Channel.PHONE,
        question="Hulp bij de administratie",
        consultant=consultant,
        by=consultant,
        today=TODAY,
    )
    signal = plan_signals().get()
    assert signal.status == SignalStatus.OPEN and signal.client == client


@pytest.mark.parametrize(
    "answer",
    [
        {"received_on": TODAY, "note": "Meegenomen in het onderzoek."},
        {"received_on": TODAY},  # the note may follow later: the plan is in, the wait is over
        {"received": False},
    ],
)
def test_recording_the_answer_lets_the_signal_lapse_at_once(consultant, answer):
    melding = MeldingFactory(consultant=consultant, received_on=TODAY - timedelta(days=2))
    run(TODAY)
    services.record_persoonlijk_plan(melding.intake, by=consultant, today=TODAY, **answer)
    assert plan_signals().get().status == SignalStatus.LAPSED
    assert run(TODAY).created == 0  # the nightly run agrees


def test_concluding_the_onderzoek_within_the_term_lets_it_lapse(consultant):
    melding = MeldingFactory(consultant=consultant, received_on=TODAY - timedelta(days=2))
    run(TODAY)
    services.conclude_intake(
        melding.intake,
        by=consultant,
        conclusion="eigen_kracht",
        concluded_on=TODAY,
        report="Netwerk helpt.",
        no_conversation_reason="Telefonisch afgehandeld.",
        persoonlijk_plan_not_received=True,
        today=TODAY,
    )
    assert plan_signals().get().status == SignalStatus.LAPSED


def test_not_for_an_onderzoek_that_has_its_answer(consultant):
    received = MeldingFactory(consultant=consultant, received_on=TODAY - timedelta(days=2))
    services.record_persoonlijk_plan(received.intake, received_on=TODAY, by=consultant, today=TODAY)
    refused = MeldingFactory(consultant=consultant, received_on=TODAY - timedelta(days=2))
    services.record_persoonlijk_plan(refused.intake, received=False, by=consultant, today=TODAY)
    assert run(TODAY).created == 0


def test_the_consultants_worklist_shows_it(client, consultant):
    today = timezone.localdate()
    melding = MeldingFactory(consultant=consultant, received_on=today - timedelta(days=1))
    run(today)
    client.force_login(consultant)
    page = client.get(reverse("indications:worklist")).content.decode()
    assert "Persoonlijk plan: termijn van 7 dagen loopt" in page
    assert reverse("indications:intake", args=[melding.intake.uuid]) in page
