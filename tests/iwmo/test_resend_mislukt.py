"""Resending a message whose delivery failed (mislukt, iwmo.resend): from the day page (a POST form
with CSRF) and the admin, by the roles holding iwmo.resend_outgoingmessage (teamleider, functioneel
beheerder), with the same BerichtIdentificatie, delivered once, audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CONSULENT, CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER, ROLE_PERMISSIONS, TEAMLEIDER
from audit.models import AuditEvent
from iwmo import delivery, resend
from iwmo.models import OutgoingMessage
from tests.factories import TODAY, OutgoingMessageFactory, issued_assignment, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(provider, consultant, settings, django_capture_on_commit_callbacks):
    """A real 301 whose delivery failed: the GGk was unreachable for all its attempts."""
    unreachable = {**settings.IWMO, "OUTBOX_URL": "http://127.0.0.1:9/niet-bereikbaar", "DELIVERY_MAX_ATTEMPTS": 1}
    settings.IWMO = unreachable
    with django_capture_on_commit_callbacks(execute=False):
        issued_assignment(provider, consultant, today=TODAY)
    (message,) = OutgoingMessage.objects.all()
    assert delivery.deliver_message(message.pk) == delivery.Outcome("mislukt")
    settings.IWMO = {**unreachable, "OUTBOX_URL": ""}  # the cause is fixed: deliver to the folder
    message.refresh_from_db()
    return message


@pytest.fixture
def beheerder(db):
    return staff_member(FUNCTIONEEL_BEHEERDER, username="beheerder-test", is_staff=True)


def test_the_roles_that_may_resend():
    holders = {role for role, perms in ROLE_PERMISSIONS.items() if resend.RESEND_PERMISSION in perms}
    assert holders == {TEAMLEIDER, FUNCTIONEEL_BEHEERDER}


def test_resend_queues_and_delivers_once_with_the_same_identification(
    failed, team_lead, django_capture_on_commit_callbacks
):
    identification, xml = failed.identification, failed.xml
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resend.resend_failed_message(failed, by=team_lead)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutgoingMessage.Status.QUEUED, 0)
    (deliver,) = callbacks
    deliver()  # the commit: the eager task delivers
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.identification, failed.xml) == (
        OutgoingMessage.Status.DELIVERED,
        1,
        identification,
        xml,
    )
    assert delivery.deliver_message(failed.pk) == delivery.Outcome("overgeslagen")  # exactly once
    event = AuditEvent.objects.filter(object_id=str(failed.pk), actor=team_lead).get()
    assert event.action == AuditEvent.Action.TRANSITION and "opnieuw in de wachtrij" in event.summary
    assert event.changes["last_error"]


def test_only_a_failed_message_is_resent(team_lead):
    for message in (OutgoingMessageFactory(), OutgoingMessageFactory(afgeleverd=True)):
        before = (message.status, message.attempts)
        with pytest.raises(ValidationError, match="Alleen een mislukt bericht"):
            resend.resend_failed_message(message, by=team_lead)
        message.refresh_from_db()
        assert (message.status, message.attempts) == before


@pytest.mark.parametrize("role", [CONSULENT, CONTRACTMANAGER])
def test_other_roles_may_not_resend(failed, role):
    with pytest.raises(PermissionDenied):
        resend.resend_failed_message(failed, by=staff_member(role, username=f"{role}-x"))
    failed.refresh_from_db()
    assert failed.status == OutgoingMessage.Status.FAILED


def test_the_day_page_has_a_csrf_protected_resend_form(failed, team_lead, django_capture_on_commit_callbacks):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(team_lead)
    url = reverse("iwmo:resend_outgoing", args=[failed.uuid])
    page = browser.get(reverse("iwmo:day"), {"dag": timezone.localdate().isoformat()})
    html = page.content.decode()
    assert page.status_code == 200 and f'action="{url}"' in html and "csrfmiddlewaretoken" in html
    assert browser.post(url).status_code == 403  # no token
    failed.refresh_from_db()
    assert failed.status == OutgoingMessage.Status.FAILED
    token = page.cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        answer = browser.post(url, {"csrfmiddlewaretoken": token, "next": "/iwmo/?dag=x"}, follow=True)
    assert answer.redirect_chain[0] == ("/iwmo/?dag=x", 302)
    assert "staat opnieuw in de wachtrij" in answer.content.decode()
    failed.refresh_from_db()
    assert failed.status == OutgoingMessage.Status.DELIVERED


def test_the_page_refuses_a_consultant_and_shows_no_button(client, failed, consultant):
    client.force_login(consultant)
    html = client.get(reverse("iwmo:day"), {"dag": timezone.localdate().isoformat()}).content.decode()
    assert "Opnieuw versturen" not in html
    assert client.post(reverse("iwmo:resend_outgoing", args=[failed.uuid])).status_code == 403


def test_resending_twice_is_a_dutch_message_not_a_500(client, failed, team_lead):
    client.force_login(team_lead)
    url = reverse("iwmo:resend_outgoing", args=[failed.uuid])
    client.post(url)
    answer = client.post(url, {"next": "https://elders.example/"}, follow=True)
    assert answer.redirect_chain[0] == (reverse("iwmo:day"), 302)  # never off-site
    assert "Alleen een mislukt bericht kan opnieuw worden verstuurd" in answer.content.decode()


def test_the_admin_action_resends_failed_messages(client, failed, beheerder, django_capture_on_commit_callbacks):
    delivered = OutgoingMessageFactory(afgeleverd=True)
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("admin:iwmo_outgoingmessage_changelist"),
            {"action": "resend_failed", "_selected_action": [failed.pk, delivered.pk]},
            follow=True,
        )
    html = answer.content.decode()
    assert "1 bericht(en) opnieuw in de wachtrij gezet" in html and delivered.identification in html
    failed.refresh_from_db()
    assert failed.status == OutgoingMessage.Status.DELIVERED
    assert failed.delivered_to.endswith(failed.file_name)
