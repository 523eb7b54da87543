"""The factories' rows are what the services would leave: valid, in the state their trait names, and
every client at an address of their own."""

import pytest

from providers.models import Assignment, CareEvent, ChangeRequest
from signals.checks import clients_with_stacking
from signals.models import SignalStatus
from tests.factories import (
    TODAY,
    AssignmentFactory,
    CareEventFactory,
    ChangeRequestFactory,
    ClientFactory,
    OtherProvisionFactory,
    ReviewFactory,
    SignalFactory,
)

pytestmark = pytest.mark.django_db


def test_every_client_has_an_address_of_their_own():
    clients = [ClientFactory() for _ in range(5)]
    assert len({(client.postcode, client.house_number) for client in clients}) == 5
    for client in clients:
        client.full_clean()
    # Two clients with IB and another provision are no household, as people at two addresses are not.
    with_ib, with_provision = AssignmentFactory().indication.client, ClientFactory()
    OtherProvisionFactory(client=with_provision)
    assert not clients_with_stacking(TODAY).filter(pk=with_ib.pk).exists()
    # The same house number (and the default postcode) makes them a household.
    housemate = ClientFactory(house_number=with_ib.house_number)
    OtherProvisionFactory(client=housemate)
    assert clients_with_stacking(TODAY).get(pk=with_ib.pk).household == 2


@pytest.mark.parametrize(
    ("trait", "state", "status"),
    [
        ({}, "toegewezen", Assignment.Status.ACTIVE),
        ({"gestart": True}, "gestart", Assignment.Status.ACTIVE),
        ({"gestopt": True}, "gestopt", Assignment.Status.ENDED),
        ({"beeindigd": True}, "beeindigd", Assignment.Status.ENDED),
        ({"ingetrokken": True}, "ingetrokken", Assignment.Status.WITHDRAWN),
    ],
)
def test_assignment_traits(trait, state, status):
    assignment = AssignmentFactory(**trait)
    assignment.full_clean()
    assert (assignment.state_on(TODAY), assignment.status) == (state, status)
    assert (assignment.care_started_on or TODAY) <= TODAY


@pytest.mark.parametrize(
    ("trait", "outcome", "indication_status"),
    [
        ({}, "", "ter_beoordeling"),
        ({"goedgekeurd": True}, "goedgekeurd", "goedgekeurd"),
        ({"afgekeurd": True}, "afgekeurd", "concept"),
    ],
)
def test_review_traits(trait, outcome, indication_status):
    review = ReviewFactory(**trait)
    review.full_clean()
    assert (review.outcome, review.indication.status, review.is_open) == (outcome, indication_status, not outcome)
    if outcome:
        assert review.reviewer != review.submitted_by and review.decided_at > review.submitted_at


@pytest.mark.parametrize(
    ("trait", "status"),
    [
        ({}, ChangeRequest.Status.OPEN),
        ({"toegekend": True}, ChangeRequest.Status.GRANTED),
        ({"afgewezen": True}, ChangeRequest.Status.REFUSED),
    ],
)
def test_change_request_traits(trait, status):
    request = ChangeRequestFactory(**trait)
    request.full_clean()
    assert request.status == status
    assert request.assignment.state_on(TODAY) == "gestart"
    assert request.requested_end_date > request.assignment.end_date
    assert (request.answered_by is None) == (status == ChangeRequest.Status.OPEN)


def test_care_event_traits():
    start = CareEventFactory()
    assert (start.kind, start.accepted, start.event_date) == (
        CareEvent.Kind.START,
        True,
        start.assignment.care_started_on,
    )
    stop = CareEventFactory(stop=True)
    assert (stop.kind, stop.event_date, stop.reason) == (CareEvent.Kind.STOP, stop.assignment.care_stopped_on, "19")
    assert stop.assignment.state_on(TODAY) == "gestopt"
    change = CareEventFactory(wijzigingsverzoek=True)
    assert (change.kind, change.response_status) == (CareEvent.Kind.CHANGE_REQUEST, 201)
    refused = CareEventFactory(afgewezen=True)
    assert (refused.accepted, refused.response_status) == (False, 400)
    for event in (start, stop, change, refused):
        event.full_clean()
        assert event.provider == event.assignment.provider


@pytest.mark.parametrize(
    ("trait", "status", "closed"),
    [
        ({}, SignalStatus.OPEN, False),
        ({"in_behandeling": True}, SignalStatus.IN_PROGRESS, False),
        ({"opgelost": True}, SignalStatus.RESOLVED, True),
        ({"vervallen": True}, SignalStatus.LAPSED, True),
    ],
)
def test_signal_traits(trait, status, closed):
    signal = SignalFactory(**trait)
    signal.full_clean()
    assert (signal.status, signal.closed_on is not None) == (status, closed)
    assert (signal.subject_id, signal.client, signal.provider) == (
        signal.assignment.pk,
        signal.assignment.indication.client,
        signal.assignment.provider,
    )
