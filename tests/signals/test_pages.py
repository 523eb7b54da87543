"""The signal pages: worklists grouped by type, the one-click moves, scoping between teams, the
zorgstapeling timeline per client and the aggregate per municipality."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import CONTRACTMANAGER
from indications.models import Municipality
from signals.checks import CHECKS_BY_NAME
from signals.models import Signal, SignalStatus, SignalType
from signals.selectors import stacking_overview
from signals.services import run_check
from tests.factories import (
    AssignmentFactory,
    ClientFactory,
    IndicationFactory,
    MeldingFactory,
    OtherProvisionFactory,
    get_municipality,
    staff_member,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def overdue_onderzoek(consultant, **client_fields):
    melding = MeldingFactory(
        consultant=consultant, received_on=today() - timedelta(days=45), client=ClientFactory(**client_fields)
    )
    run_check(CHECKS_BY_NAME["termijn_onderzoek"], today=today(), force=True)
    return Signal.objects.get(type=SignalType.ONDERZOEK_DEADLINE, melding=melding)


def stacked_client(consultant, *, kinds=("dagbesteding",), **client_fields):
    client = ClientFactory(**client_fields)
    indication = IndicationFactory(
        actief=True,
        consultant=consultant,
        client=client,
        evaluations=[],
        start_date=today() - timedelta(days=30),
        end_date=today() + timedelta(days=300),
    )
    AssignmentFactory(indication=indication)
    for kind in kinds:
        OtherProvisionFactory(client=client, kind=kind, start_date=today() - timedelta(days=60))
    return client


def test_consultant_sees_own_signals_grouped_on_worklist_and_signal_page(client, consultant):
    signal = overdue_onderzoek(consultant)
    client.force_login(consultant)
    worklist = client.get("/werkvoorraad/")
    assert worklist.context["signal_count"] == 1
    assert [row.type for row in worklist.context["signal_counts"]] == [SignalType.ONDERZOEK_DEADLINE]
    page = client.get("/signalen/")
    assert page.status_code == 200
    assert [s.pk for group in page.context["groups"] for s in group.signals] == [signal.pk]
    assert page.context["groups"][0].overdue == 1


def test_another_consultants_signal_is_not_on_my_list(client, consultant):
    colleague = staff_member("consulent", username="collega")
    overdue_onderzoek(colleague)
    client.force_login(consultant)
    assert client.get("/signalen/").context["groups"] == []


def test_team_lead_sees_escalated_and_unassigned_team_signals_and_all_on_request(client, consultant, team_lead):
    signal = overdue_onderzoek(consultant)
    client.force_login(team_lead)
    assert client.get("/signalen/").context["groups"] == []
    assert [s.pk for g in client.get("/signalen/?alle=1").context["groups"] for s in g.signals] == [signal.pk]
    Signal.objects.filter(pk=signal.pk).update(escalated_on=today())
    assert [s.pk for g in client.get("/signalen/").context["groups"] for s in g.signals] == [signal.pk]


def test_one_click_in_behandeling_then_opgelost_with_history(client, consultant):
    signal = overdue_onderzoek(consultant)
    client.force_login(consultant)
    response = client.post(f"/signalen/{signal.pk}/", {"to_status": "in_behandeling", "note": "bel cliënt"})
    assert response.status_code == 302
    response = client.post(f"/signalen/{signal.pk}/", {"to_status": "opgelost", "note": "gesprek gepland"}, follow=True)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.RESOLVED and signal.closed_on == today()
    assert [e.to_status for e in signal.history.all()] == ["open", "in_behandeling", "opgelost"]
    assert "Signaal bijgewerkt." in response.content.decode()


def test_opgelost_without_note_is_refused_with_a_message_and_changes_nothing(client, consultant):
    signal = overdue_onderzoek(consultant)
    client.force_login(consultant)
    response = client.post(f"/signalen/{signal.pk}/", {"to_status": "opgelost", "note": " "}, follow=True)
    assert response.status_code == 200
    assert "Geef aan wat u gedaan heeft." in response.content.decode()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.OPEN and signal.history.count() == 1


def test_a_signal_of_another_teams_client_is_not_found(client, consultant):
    other_team_client = {"municipality": get_municipality("Sliedrecht")}
    outsider = staff_member("consulent", username="elders")
    signal = overdue_onderzoek(outsider, **other_team_client)
    client.force_login(consultant)
    assert client.post(f"/signalen/{signal.pk}/", {"to_status": "opgelost", "note": "x"}).status_code == 404
    signal.refresh_from_db()
    assert signal.status == SignalStatus.OPEN


def test_signal_pages_need_the_permission(client, user):
    client.force_login(user)
    assert client.get("/signalen/").status_code == 403
    assert client.get("/signalen/zorgstapeling/").status_code == 403


def test_signal_page_runs_a_constant_number_of_queries(client, consultant, django_assert_max_num_queries):
    client.force_login(consultant)
    overdue_onderzoek(consultant)
    with django_assert_max_num_queries(12) as small:
        client.get("/signalen/")
    for _ in range(3):
        overdue_onderzoek(consultant)
    with django_assert_max_num_queries(12) as large:
        client.get("/signalen/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_client_timeline_shows_ib_and_other_provisions(client, consultant):
    stacked = stacked_client(consultant, kinds=("dagbesteding", "wlz"))
    client.force_login(consultant)
    response = client.get(f"/signalen/zorgstapeling/{stacked.uuid}/")
    assert response.status_code == 200
    kinds = sorted(bar.kind for bar in response.context["bars"])
    assert kinds == ["ib", "other", "other"]
    assert all(0 <= bar.offset <= 100 and bar.width > 0 for bar in response.context["bars"])
    outsider = ClientFactory(municipality=get_municipality("Sliedrecht"))
    assert client.get(f"/signalen/zorgstapeling/{outsider.uuid}/").status_code == 404


def test_stacking_overview_counts_clients_households_and_laws(consultant):
    # Two clients at one address (a household): IB + dagbesteding, and IB alone (stacked through the
    # housemate); one client elsewhere with IB + bijstand (two laws); one client with IB only.
    first = stacked_client(consultant)
    stacked_client(consultant, kinds=(), house_number=first.house_number)
    stacked_client(consultant, kinds=("bijstand",))
    stacked_client(consultant, kinds=())
    rows = stacking_overview(today=today(), municipalities=Municipality.objects.all())
    assert [row.name for row in rows] == [first.municipality.name]
    row = rows[0]
    assert (row.clients, row.households, row.across_laws) == (3, 2, 1)
    assert sorted(count for _label, count in row.combinations) == [1, 1, 1]
    assert any("Bijstand" in label or "bijstand" in label for label, _count in row.combinations)


def test_contract_manager_sees_the_stacking_overview(client):
    manager = staff_member(CONTRACTMANAGER, username="contract")
    client.force_login(manager)
    assert client.get("/signalen/zorgstapeling/").status_code == 200
