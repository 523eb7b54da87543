"""A WMO302 that rejects our WMO301 (WJ001 codes other than 0200, e.g. 9332 from TR332) lands with a
person: the consultant of the client's beschikking at that provider sees it on the worklist with
the retourcodes' Dutch meaning, and marks it handled (iwmo.retour_handling, audited, under the row
lock); the day page then no longer counts it among the errors to act on."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Team
from accounts.roles import CONSULENT, CONTRACTMANAGER, ROLE_PERMISSIONS, TEAMLEIDER
from audit.models import AuditEvent
from iwmo import retour_handling, retour_in, selectors
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage, RetourStatus
from tests.factories import TODAY, issued_assignment, staff_member

pytestmark = pytest.mark.django_db

MEANING_9332 = "Toewijzing heeft geen uniek nummer binnen wettelijk domein"


@pytest.fixture
def rejected(provider, consultant):
    """A toewijzing whose WMO301 the provider rejected: 9332 (TR332) on its product."""
    assignment = issued_assignment(provider, consultant, today=TODAY)
    (message,) = OutgoingMessage.objects.filter(message_type="WMO301")
    raw = retour_in.build(
        message.xml,
        identification="R00000000001",
        dagtekening=TODAY,
        rejections={f"ToegewezenProduct {int(assignment.number)}": ("9332",)},
    )
    incoming = receive(raw, channel=IncomingMessage.Channel.FOLDER, file_name="302.xml", today=TODAY)
    assert incoming.status == IncomingMessage.Status.ACCEPTED, incoming.errors
    message.refresh_from_db()
    assert message.retour_status == RetourStatus.REJECTED
    return message


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_roles_that_handle_a_rejected_retour():
    holders = {role for role, perms in ROLE_PERMISSIONS.items() if retour_handling.HANDLE_PERMISSION in perms}
    assert holders == {CONSULENT, TEAMLEIDER}


def test_tr332_a_rejected_301_is_on_the_worklist_of_the_clients_consultant_with_the_meaning(rejected, consultant):
    assert list(selectors.rejected_retours_on_worklist(consultant)) == [rejected]
    assert rejected.retour_rejections == [
        {
            "element": f"ToegewezenProduct {int(rejected.assignment_numbers[0])}",
            "codes": [{"code": "9332", "betekenis": rejected.retour_rejections[0]["codes"][0]["betekenis"]}],
        }
    ]
    assert MEANING_9332 in rejected.retour_rejections[0]["codes"][0]["betekenis"]
    page = logged_in(consultant).get(reverse("indications:worklist"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Door aanbieders afgekeurde berichten" in body and "9332" in body and MEANING_9332 in body
    assert reverse("iwmo:handle_retour", args=[rejected.uuid]) in body


def test_another_consultant_does_not_get_it_on_the_worklist(rejected):
    other = staff_member(CONSULENT, username="andere-consulent")
    assert not selectors.rejected_retours_on_worklist(other).exists()
    assert "9332" not in logged_in(other).get(reverse("indications:worklist")).content.decode()


def test_an_accepted_301_is_not_on_the_worklist(provider, consultant):
    issued_assignment(provider, consultant, today=TODAY)
    (message,) = OutgoingMessage.objects.filter(message_type="WMO301")
    raw = retour_in.build(message.xml, identification="R00000000002", dagtekening=TODAY)
    receive(raw, channel=IncomingMessage.Channel.FOLDER, file_name="302.xml", today=TODAY)
    assert not selectors.rejected_retours_on_worklist(consultant).exists()


def test_marking_it_handled_is_audited_and_takes_it_off_the_worklist_and_the_errors(rejected, consultant):
    handled = retour_handling.mark_retour_handled(rejected, by=consultant, note="  Nieuw nummer gevraagd.  ")
    assert (handled.retour_handled_by, handled.retour_handling_note) == (consultant, "Nieuw nummer gevraagd.")
    assert handled.retour_handled_at is not None
    event = AuditEvent.objects.get(object_type="iwmo.outgoingmessage", summary__contains="afgehandeld")
    assert event.actor_id == consultant.pk and event.client_id == rejected.client_id
    assert not selectors.rejected_retours_on_worklist(consultant).exists()
    assert not selectors.outgoing_errors(OutgoingMessage.objects.all()).exists()


def test_handled_twice_or_without_a_note_or_on_an_accepted_message_is_refused(rejected, consultant):
    with pytest.raises(ValidationError) as empty:
        retour_handling.mark_retour_handled(rejected, by=consultant, note="  ")
    assert "note" in empty.value.error_dict
    retour_handling.mark_retour_handled(rejected, by=consultant, note="Opgelost.")
    with pytest.raises(ValidationError) as twice:
        retour_handling.mark_retour_handled(rejected, by=consultant, note="Nog eens.")
    assert twice.value.code == "already_handled"
    OutgoingMessage.objects.filter(pk=rejected.pk).update(retour_status=RetourStatus.ACCEPTED, retour_handled_at=None)
    with pytest.raises(ValidationError) as accepted:
        retour_handling.mark_retour_handled(rejected, by=consultant, note="x")
    assert accepted.value.code == "not_rejected"
    assert AuditEvent.objects.filter(summary__contains="afgehandeld").count() == 1


def test_a_role_without_the_permission_may_not(rejected):
    manager = staff_member(CONTRACTMANAGER, username="contract-test")
    with pytest.raises(PermissionDenied):
        retour_handling.mark_retour_handled(rejected, by=manager, note="x")
    assert logged_in(manager).get(reverse("iwmo:handle_retour", args=[rejected.uuid])).status_code == 403


def test_the_page_shows_the_codes_and_handles_it_with_a_form_error_next_to_the_field(rejected, consultant):
    client = logged_in(consultant)
    url = reverse("iwmo:handle_retour", args=[rejected.uuid])
    page = client.get(url)
    assert page.status_code == 200 and MEANING_9332 in page.content.decode()
    refused = client.post(url, {"note": ""})
    assert refused.status_code == 200 and "Schrijf op wat er is gedaan." in refused.content.decode()
    rejected.refresh_from_db()
    assert rejected.retour_handled_at is None
    done = client.post(url, {"note": "Toewijzingnummer gecontroleerd; nieuwe 301 volgt."})
    assert done.status_code == 302 and done["Location"] == reverse("indications:worklist")
    rejected.refresh_from_db()
    assert rejected.retour_handling_note == "Toewijzingnummer gecontroleerd; nieuwe 301 volgt."
    after = client.get(url).content.decode()
    assert "Toewijzingnummer gecontroleerd" in after and 'aria-labelledby="h-afhandelen"' not in after


def test_another_teams_message_is_a_404(rejected):
    stranger = staff_member(TEAMLEIDER, username="elders", team=Team.objects.create(name="Team Elders"))
    assert logged_in(stranger).get(reverse("iwmo:handle_retour", args=[rejected.uuid])).status_code == 404
