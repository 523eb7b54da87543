"""Every read of a client file is recorded with who, when and from where; the privacy officer sees
the access log and exports it for an AVG inzageverzoek; login attempts are rate limited."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from accounts.roles import CONSULENT, CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER
from audit.models import AuditEvent
from tests.factories import IndicationFactory, UserFactory, ZrmAssessmentFactory, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def indication():
    assessment = ZrmAssessmentFactory(scores={"financien": 2})
    return IndicationFactory(client=assessment.client, actief=True)


def test_reading_the_client_file_and_beschikking_is_recorded(client, consultant, indication):
    client.force_login(consultant)
    client.get(f"/clienten/{indication.client.uuid}/", REMOTE_ADDR="10.1.2.3")
    client.get(f"/indicaties/{indication.uuid}/", REMOTE_ADDR="10.1.2.3")
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ, client_id=indication.client_id).order_by("id")
    assert [(e.actor, e.object_type, e.ip_address) for e in reads] == [
        (consultant, "indications.client", "10.1.2.3"),
        (consultant, "indications.indication", "10.1.2.3"),
    ]


def test_changes_record_before_and_after(client, consultant, indication):
    client.force_login(consultant)
    data = {field: getattr(indication.client, field) for field in ("bsn", "last_name", "gender")}
    data.update(date_of_birth="1975-05-17", municipality=indication.client.municipality_id, street="Wijnstraat")
    assert client.post(f"/clienten/{indication.client.uuid}/wijzigen/", data).status_code == 302
    change = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert change.changes["street"] == ["Voorstraat", "Wijnstraat"]


def test_the_privacy_officer_sees_who_read_the_file(client, consultant, indication):
    client.force_login(consultant)
    client.get(f"/clienten/{indication.client.uuid}/")
    officer = staff_member(FUNCTIONEEL_BEHEERDER, first_name="Anouk", last_name="de Graaf")
    client.force_login(officer)
    response = client.get(f"/clienten/{indication.client.uuid}/inzagelog/")
    assert response.status_code == 200
    assert "Fatima El Amrani" in response.content.decode()
    assert "dossier ingezien" in response.content.decode()
    # the officer's own look is recorded too
    assert AuditEvent.objects.filter(actor=officer, summary="inzagelog bekeken").exists()


def test_avg_export_holds_the_personal_data_and_the_access_log(client, consultant, indication):
    client.force_login(consultant)
    client.get(f"/clienten/{indication.client.uuid}/")
    client.force_login(staff_member(FUNCTIONEEL_BEHEERDER))
    response = client.get(f"/clienten/{indication.client.uuid}/avg-export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames[0] == "Persoonsgegevens" and workbook.sheetnames[-1] == "Inzage en wijzigingen"
    personal = {row[0]: row[1] for row in workbook["Persoonsgegevens"].iter_rows(min_row=2, values_only=True)}
    assert personal["BSN"] == indication.client.bsn
    log = list(workbook["Inzage en wijzigingen"].iter_rows(min_row=2, values_only=True))
    assert any(row[4] == "dossier ingezien" and row[3] == "cliënt" for row in log)
    scores = [row[1:] for row in workbook["ZRM-scores"].iter_rows(min_row=2, values_only=True)]
    assert ("Financiën", "2 niet zelfredzaam") in scores


def test_the_client_file_links_to_the_access_log_for_whom_may_see_it(client, consultant, indication):
    client.force_login(consultant)
    page = client.get(f"/clienten/{indication.client.uuid}/").content.decode()
    assert f"/clienten/{indication.client.uuid}/inzagelog/" not in page
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    page = client.get(f"/clienten/{indication.client.uuid}/").content.decode()
    assert f"/clienten/{indication.client.uuid}/inzagelog/" in page
    assert f"/clienten/{indication.client.uuid}/avg-export/" in page


@pytest.mark.parametrize("role", [CONSULENT, CONTRACTMANAGER])
def test_other_roles_cannot_see_the_access_log(client, indication, role):
    client.force_login(staff_member(role))
    assert client.get(f"/clienten/{indication.client.uuid}/inzagelog/").status_code == 403
    assert client.get(f"/clienten/{indication.client.uuid}/avg-export/").status_code == 403


def test_repeated_failed_logins_lock_the_account_for_that_address(client, settings):
    settings.AXES_ENABLED = True
    staff_member(CONSULENT, username="slot", password="Juist-wachtwoord-2026")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/inloggen/", {"username": "slot", "password": "fout"}, REMOTE_ADDR="10.9.9.9")
        assert response.status_code == 200  # the form with its error
    last_try = client.post("/inloggen/", {"username": "slot", "password": "fout"}, REMOTE_ADDR="10.9.9.9")
    assert last_try.status_code == 429
    locked = client.post(
        "/inloggen/", {"username": "slot", "password": "Juist-wachtwoord-2026"}, REMOTE_ADDR="10.9.9.9"
    )
    assert locked.status_code == 429
    assert "Te veel mislukte inlogpogingen" in locked.content.decode()
    other_address = client.post(
        "/inloggen/", {"username": "slot", "password": "Juist-wachtwoord-2026"}, REMOTE_ADDR="10.8.8.8"
    )
    assert other_address.status_code == 302


def test_sessions_expire_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("welkom123")


def test_opening_the_evaluation_and_indication_forms_is_recorded(client, consultant, indication):
    client.force_login(consultant)
    client.get(f"/indicaties/{indication.uuid}/evaluatie/")
    assert AuditEvent.objects.filter(summary="evaluatieformulier geopend", client_id=indication.client_id).exists()
