"""A user renews their own herstelcodes after a current code from the authenticator app: the old
codes are void, the new ones are returned once, and the renewal is audited without the codes."""

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_static.models import StaticToken

from accounts import services
from audit.models import AuditEvent
from tests.accounts.test_second_factor import current_code, enrolled
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_current_app_code_gives_a_new_set_and_voids_the_old(db):
    user = UserFactory()
    device = enrolled(user)
    old = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    codes = services.renew_backup_codes(user, token=current_code(device, steps_ahead=1), ip_address="192.0.2.9")
    assert len(codes) == services.BACKUP_CODE_COUNT
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == set(codes) and not stored & old
    event = AuditEvent.objects.filter(changes__second_factor="backup_codes_renewed").get()
    assert not any(code in str(event.changes) + event.summary for code in codes)


def test_a_wrong_code_or_a_herstelcode_changes_nothing(db):
    user = UserFactory()
    enrolled(user)
    old = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    for token in ("000000", sorted(old)[0]):
        with pytest.raises(ValidationError) as refused:
            services.renew_backup_codes(user, token=token)
        assert "code" in refused.value.message_dict
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == old
    assert not AuditEvent.objects.filter(changes__second_factor="backup_codes_renewed").exists()


def test_the_page_shows_the_new_codes_once(client):
    user = UserFactory()
    device = enrolled(user)
    client.force_login(user)
    response = client.post("/medewerkers/tweede-factor/herstelcodes/", {"code": current_code(device, steps_ahead=1)})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    codes = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert all(code in page for code in codes)
    assert "Dit zijn uw nieuwe herstelcodes" in page and "De tweede factor is ingesteld" not in page
    assert not any(code in client.get(response["Location"]).content.decode() for code in codes)


def test_the_page_shows_a_wrong_code_in_dutch(client):
    user = UserFactory()
    enrolled(user)
    client.force_login(user)
    response = client.post("/medewerkers/tweede-factor/herstelcodes/", {"code": "000000"})
    assert response.status_code == 200
    assert "De code klopt niet" in response.content.decode()


def test_a_verified_user_finds_the_renewal_in_the_menu(client, password_only):
    user = UserFactory()
    enrolled(user)
    client.force_login(user)
    link = 'href="/medewerkers/tweede-factor/herstelcodes/"'
    unverified = client.get("/werkvoorraad/", follow=True)
    assert unverified.status_code == 200 and link not in unverified.content.decode()
    session = client.session
    session["otp_device_id"] = user.staticdevice_set.get().persistent_id
    session.save()
    verified = client.get("/medewerkers/tweede-factor/herstelcodes/")
    assert verified.status_code == 200 and link in verified.content.decode()
