"""The privacy officer's log review (audit.review): each kind of item, the threshold and office
hours as data, marking an item reviewed (audited, with a note) and who may see which kinds."""

import uuid
from datetime import datetime, timedelta

import pytest
from axes.models import AccessFailureLog
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import CONSULENT, PRIVACY_FUNCTIONARIS
from audit.models import AuditEvent, ReviewMark, ReviewSettings
from audit.review_selectors import review_sections
from indications import emergency_services
from tests.factories import ClientFactory, TeamFactory, get_municipality, staff_member

pytestmark = pytest.mark.django_db

PAGE = "/audittrail/beoordeling/"
REASON = "Crisismelding van de politie, cliënt in nood"


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def event(at: datetime, *, actor=None, client_id=None, action="read", actor_label="", ip="10.0.0.1"):
    """An audit event at a given moment (a raw INSERT: `at` is set on save)."""
    key = uuid.uuid4()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AuditEvent._meta.db_table} (uuid, at, actor_id, actor_label, action, object_type, object_id,"
            " client_id, summary, changes, ip_address) VALUES (%s, %s, %s, %s, %s, %s, '1', %s, '', '{}', %s)",
            [
                key.hex if connection.vendor == "sqlite" else str(key),
                connection.ops.adapt_datetimefield_value(at),
                actor.pk if actor else None,
                actor_label,
                action,
                "indications.client" if client_id else "api",
                client_id,
                ip,
            ],
        )


@pytest.fixture
def privacy(db):
    return staff_member(PRIVACY_FUNCTIONARIS, first_name="Sanne", last_name="Bakker")


def period(day):
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


def items(viewer, kind, day):
    sections = review_sections(viewer, *period(day), only_open=False)
    return [row.item for section in sections if section.source.kind == kind for row in section.rows]


def test_many_files_in_a_day_above_the_threshold_as_data(privacy, consultant):
    ReviewSettings.objects.create(pk=1, files_per_day=3)
    clients = ClientFactory.create_batch(4)
    for hour, client in zip((9, 10, 11, 12), clients, strict=True):
        event(local(2026, 11, 10, hour), actor=consultant, client_id=client.pk)
    event(local(2026, 11, 10, 13), actor=consultant, client_id=clients[0].pk)  # the same file again
    found = items(privacy, "veel-dossiers", datetime(2026, 11, 10).date())
    assert len(found) == 1
    assert found[0].key == f"{consultant.pk}:2026-11-10"
    assert "4 verschillende dossiers" in found[0].summary and "drempel 3" in found[0].summary
    ReviewSettings.objects.filter(pk=1).update(files_per_day=4)
    assert items(privacy, "veel-dossiers", datetime(2026, 11, 10).date()) == []


def test_access_outside_office_hours_and_in_the_weekend(privacy, consultant):
    client = ClientFactory()
    event(local(2026, 11, 10, 10, 30), actor=consultant, client_id=client.pk)  # a Tuesday morning: office hours
    assert items(privacy, "buiten-kantooruren", datetime(2026, 11, 10).date()) == []
    event(local(2026, 11, 10, 22, 15), actor=consultant, client_id=client.pk)
    event(local(2026, 11, 10, 6, 45), actor=consultant, client_id=client.pk)
    found = items(privacy, "buiten-kantooruren", datetime(2026, 11, 10).date())
    assert len(found) == 1 and "1 dossier (2 keer)" in found[0].summary and "06:45–22:15" in found[0].summary
    event(local(2026, 11, 14, 11, 0), actor=consultant, client_id=client.pk)  # a Saturday
    assert len(items(privacy, "buiten-kantooruren", datetime(2026, 11, 14).date())) == 1
    ReviewSettings.objects.create(pk=1, weekend_is_outside=False)
    assert items(privacy, "buiten-kantooruren", datetime(2026, 11, 14).date()) == []


def test_the_api_source_lists_only_addresses_a_key_never_used_before(privacy):
    label = "aanbieder 98000001 (sleutel abcd1234)"
    event(local(2026, 11, 1, 10), actor_label=label, ip="192.0.2.10")
    event(local(2026, 11, 10, 10), actor_label=label, ip="192.0.2.10")
    event(local(2026, 11, 10, 11), actor_label=label, ip="198.51.100.7")
    event(local(2026, 11, 10, 12), actor_label=label, ip="198.51.100.7")
    event(local(2026, 11, 10, 12), actor_label="onbekende API-sleutel", ip="203.0.113.5")  # not a key's call
    found = items(privacy, "api-nieuw-adres", datetime(2026, 11, 10).date())
    assert [(item.key, item.user_label) for item in found] == [(f"{label}|198.51.100.7", label)]
    assert "198.51.100.7 (2 aanroepen" in found[0].summary


def test_failed_logins_with_second_factor_and_lockout(privacy):
    at = local(2026, 11, 10, 9)
    for n, (path, locked) in enumerate(
        [("/inloggen/", False), ("/inloggen/tweede-factor/", False), ("/inloggen/tweede-factor/", True)]
    ):
        failure = AccessFailureLog.objects.create(
            username="fatima",
            ip_address="192.0.2.44",
            path_info=path,
            locked_out=locked,
            user_agent="x",
            http_accept="*/*",
        )
        AccessFailureLog.objects.filter(pk=failure.pk).update(attempt_time=at + timedelta(minutes=n))
    found = items(privacy, "inlogpogingen", at.date())
    assert len(found) == 1
    assert found[0].user_label == "fatima"
    assert "3 mislukte inlogpogingen vanaf 192.0.2.44" in found[0].summary
    assert "waarvan 2 met een onjuiste tweede factor" in found[0].summary and "geblokkeerd" in found[0].summary


def test_a_failed_login_lands_on_the_review(client, settings, privacy):
    settings.AXES_ENABLED = True
    staff_member(CONSULENT, username="joost")
    client.post("/inloggen/", {"username": "joost", "password": "fout-wachtwoord"})
    found = items(privacy, "inlogpogingen", timezone.localdate())
    assert [item.user_label for item in found] == ["joost"]


def test_a_team_lead_sees_the_emergency_accesses_of_their_teams_only(team_lead, privacy):
    zwijndrecht = ClientFactory(municipality=get_municipality("Zwijndrecht"), city="Zwijndrecht")
    in_team = staff_member(CONSULENT)  # the Dordrecht team, as the team lead's
    for team in team_lead.teams.all():
        team.members.add(in_team)
    other_team = staff_member(CONSULENT, team=TeamFactory(name="Team Oost", municipalities=["Papendrecht"]))
    mine = emergency_services.grant_emergency_access(by=in_team, bsn=zwijndrecht.bsn, reason=REASON)
    theirs = emergency_services.grant_emergency_access(by=other_team, bsn=zwijndrecht.bsn, reason=REASON)
    today = timezone.localdate()
    kinds = {section.source.kind for section in review_sections(team_lead, *period(today))}
    assert kinds == {"noodtoegang"}
    assert [item.key for item in items(team_lead, "noodtoegang", today)] == [str(mine.uuid)]
    assert {item.key for item in items(privacy, "noodtoegang", today)} == {str(mine.uuid), str(theirs.uuid)}
    all_kinds = [section.source.kind for section in review_sections(privacy, *period(today))]
    assert all_kinds == ["noodtoegang", "veel-dossiers", "buiten-kantooruren", "inlogpogingen", "api-nieuw-adres"]


def test_marking_an_item_is_audited_and_hides_it_from_the_open_list(client, privacy, consultant):
    zwijndrecht = ClientFactory(municipality=get_municipality("Zwijndrecht"), city="Zwijndrecht")
    access = emergency_services.grant_emergency_access(by=consultant, bsn=zwijndrecht.bsn, reason=REASON)
    client.force_login(privacy)
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert zwijndrecht.masked_bsn in text and zwijndrecht.bsn not in text and "Markeren als beoordeeld" in text
    posted = client.post(
        PAGE, {"kind": "noodtoegang", "key": str(access.uuid), "note": "Gebeld met de consulent: terecht."}
    )
    assert posted.status_code == 302
    mark = ReviewMark.objects.get()
    assert (mark.kind, mark.key, mark.reviewed_by, mark.note) == (
        "noodtoegang",
        str(access.uuid),
        privacy,
        "Gebeld met de consulent: terecht.",
    )
    recorded = AuditEvent.objects.get(object_type="audit.reviewmark")
    assert recorded.actor == privacy and recorded.action == "create" and recorded.purpose == "privacy: logbeoordeling"
    assert "Markeren als beoordeeld" not in client.get(PAGE).content.decode()
    shown = client.get(PAGE, {"toon": "alle"}).content.decode()
    assert "Beoordeeld door Sanne Bakker" in shown and "Gebeld met de consulent: terecht." in shown


def test_an_empty_note_is_a_field_error_and_writes_nothing(client, privacy, consultant):
    zwijndrecht = ClientFactory(municipality=get_municipality("Zwijndrecht"), city="Zwijndrecht")
    access = emergency_services.grant_emergency_access(by=consultant, bsn=zwijndrecht.bsn, reason=REASON)
    client.force_login(privacy)
    before = AuditEvent.objects.count()
    response = client.post(PAGE, {"kind": "noodtoegang", "key": str(access.uuid), "note": "   "})
    assert response.status_code == 400
    assert "Schrijf op wat u heeft bekeken" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ReviewMark.objects.exists() and AuditEvent.objects.count() == before


def test_refusals_unknown_kind_twice_and_kinds_a_team_lead_does_not_review(client, privacy, team_lead):
    client.force_login(privacy)
    unknown = client.post(PAGE, {"kind": "bestaat-niet", "key": "x", "note": "bekeken"})
    assert unknown.status_code == 400 and "Dit soort logitem kunt u niet beoordelen." in unknown.content.decode()
    assert client.post(PAGE, {"kind": "veel-dossiers", "key": "1:2026-11-10", "note": "bekeken"}).status_code == 302
    again = client.post(PAGE, {"kind": "veel-dossiers", "key": "1:2026-11-10", "note": "nog eens"})
    assert again.status_code == 400 and "Dit logitem is al beoordeeld." in again.content.decode()
    client.force_login(team_lead)
    refused = client.post(PAGE, {"kind": "buiten-kantooruren", "key": "1:2026-11-10", "note": "bekeken"})
    assert refused.status_code == 400
    assert ReviewMark.objects.count() == 1


def test_who_reaches_the_page(client, consultant, privacy, team_lead):
    client.force_login(consultant)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"kind": "veel-dossiers", "key": "1:2026-11-10", "note": "x"}).status_code == 403
    assert not ReviewMark.objects.exists()
    client.force_login(team_lead)
    assert client.get(PAGE).status_code == 200
    client.force_login(privacy)
    assert client.get("/").url == PAGE
    assert "Logbeoordeling" in client.get(PAGE).content.decode()


def test_a_reversed_period_is_a_field_error(client, privacy):
    client.force_login(privacy)
    response = client.get(PAGE, {"since": "2026-11-10", "until": "2026-11-01"})
    assert response.status_code == 200
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


def test_the_page_queries_do_not_grow_with_the_items(client, privacy):
    ReviewSettings.objects.create(pk=1, files_per_day=1)
    clients = ClientFactory.create_batch(2)
    today = timezone.localdate()
    noon = timezone.make_aware(datetime.combine(today, datetime.min.time())) + timedelta(hours=12)

    def busy_users(count):
        for _n in range(count):
            user = staff_member(CONSULENT)
            for client_file in clients:
                event(noon, actor=user, client_id=client_file.pk)

    client.force_login(privacy)
    busy_users(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    busy_users(8)
    with CaptureQueriesContext(connection) as many:
        page = client.get(PAGE)
    assert page.content.decode().count("verschillende dossiers geopend") == 10
    assert len(many) == len(few)


def test_the_privacy_officer_sets_the_thresholds_in_the_admin_audited(client):
    officer = staff_member(PRIVACY_FUNCTIONARIS, is_staff=True)
    client.force_login(officer)
    form = {"files_per_day": "25", "office_hours_start": "8", "office_hours_end": "18", "weekend_is_outside": "on"}
    reversed_hours = client.post("/beheer/audit/reviewsettings/add/", {**form, "office_hours_start": "19"})
    assert reversed_hours.status_code == 200
    assert "De kantoortijd moet eindigen na het begin" in reversed_hours.content.decode()
    assert client.post("/beheer/audit/reviewsettings/add/", form).status_code == 302
    assert ReviewSettings.current().files_per_day == 25
    recorded = AuditEvent.objects.get(object_type="audit.reviewsettings")
    assert recorded.actor == officer and recorded.action == "create"
    assert client.get("/beheer/audit/reviewsettings/add/").status_code == 403  # one row only
