"""Retention of closed client files (issue 19): which files are closed, the holds of the layers above,
the nightly proposal, the review with its permission, and the anonymisation that leaves no BSN or
name behind."""

import hashlib
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, ProgrammingError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CONSULENT, FUNCTIONEEL_BEHEERDER
from audit.models import AuditEvent
from indications import hooks, retention, tasks
from indications.models import (
    Client,
    Conversation,
    DestructionProposal,
    DestructionStatus,
    Indication,
    Intake,
    Mantelzorger,
    Melding,
)
from indications.privacy import client_data_models, records_of
from letters.models import Letter, LetterTemplate
from objections.models import Bezwaar, BezwaarStatus
from tests.factories import (
    TODAY,
    AssignmentFactory,
    ClientFactory,
    IndicationFactory,
    IntakeFactory,
    MeldingFactory,
    OutgoingMessageFactory,
    UserFactory,
    staff_member,
)
from tests.incidents.factories import IncidentFactory
from tests.objections.factories import BezwaarFactory

pytestmark = pytest.mark.django_db

YEARS = 15
LONG_AGO = TODAY - timedelta(days=365 * 17)  # a beschikking that ended about 17 years ago


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def closed_client(*, ended_on: date = LONG_AGO, **client_fields) -> Client:
    """A client whose one beschikking ended on `ended_on` and who was registered before it started."""
    client = ClientFactory(**client_fields)
    start = ended_on - timedelta(days=300)
    IndicationFactory(
        client=client,
        beeindigd=True,
        start_date=start,
        end_date=ended_on,
        ended_on=ended_on,
        decision_date=start - timedelta(days=5),
    )
    Client.objects.filter(pk=client.pk).update(created_at=_at(start - timedelta(days=30)))
    client.refresh_from_db()
    return client


def closed_ids(**kwargs) -> set[int]:
    return set(retention.closed_client_files(today=TODAY, years=YEARS, **kwargs).values_list("pk", flat=True))


# -- the selector -----------------------------------------------------------------------------------


def test_a_file_closed_longer_than_the_period_is_closed_since_its_last_date(django_assert_num_queries):
    old = closed_client()
    with django_assert_num_queries(1):
        found = list(retention.closed_client_files(today=TODAY, years=YEARS))
    assert [client.pk for client in found] == [old.pk]
    assert found[0].closed_on == LONG_AGO


def test_recent_or_running_files_are_not_closed():
    recent = closed_client(ended_on=TODAY - timedelta(days=365 * 14))
    running = closed_client()
    IndicationFactory(client=running, actief=True)
    undecided = closed_client()
    IndicationFactory(client=undecided)  # a concept
    with_open_onderzoek = closed_client()
    MeldingFactory(client=with_open_onderzoek, received_on=LONG_AGO)  # its onderzoek never concluded
    new_melding = closed_client()
    MeldingFactory(client=new_melding, received_on=TODAY - timedelta(days=365), intake=None)
    registered_lately = closed_client()
    Client.objects.filter(pk=registered_lately.pk).update(created_at=timezone.now())
    withdrawn_only = ClientFactory()
    IndicationFactory(
        client=withdrawn_only, ingetrokken=True, start_date=LONG_AGO, end_date=LONG_AGO + timedelta(days=90)
    )
    Client.objects.filter(pk=withdrawn_only.pk).update(created_at=_at(LONG_AGO - timedelta(days=10)))
    closed = closed_client()

    assert closed_ids() == {closed.pk, withdrawn_only.pk}
    assert recent.pk in set(
        retention.closed_client_files(today=TODAY, years=13).values_list("pk", flat=True)
    )  # the period decides
    assert {running.pk, undecided.pk, with_open_onderzoek.pk, new_melding.pk, registered_lately.pk}.isdisjoint(
        closed_ids()
    )


def test_an_open_bezwaar_and_an_open_calamiteit_hold_the_file():
    with_bezwaar = closed_client()
    beschikking = with_bezwaar.indications.get()
    BezwaarFactory(beschikking=beschikking, letter_date=LONG_AGO - timedelta(days=300))
    with_decided_bezwaar = closed_client()
    BezwaarFactory(
        beschikking=with_decided_bezwaar.indications.get(),
        letter_date=LONG_AGO - timedelta(days=300),
        ongegrond=True,
    )
    with_incident = closed_client()
    assignment = AssignmentFactory(indication=with_incident.indications.get())
    incident = IncidentFactory(assignment=assignment)

    assert {hold.kind for hold in hooks.retention_holds()} >= {"bezwaar", "calamiteit"}
    assert closed_ids() == {with_decided_bezwaar.pk}
    assert closed_ids(holds=False) == {with_bezwaar.pk, with_decided_bezwaar.pk, with_incident.pk}
    assert retention.holds_of([with_bezwaar.pk, with_incident.pk, with_decided_bezwaar.pk]) == {
        with_bezwaar.pk: ["bezwaar in behandeling"],
        with_incident.pk: ["calamiteit niet afgesloten"],
    }
    # Once the bezwaar is decided and the calamiteit closed, the files are closed.
    Bezwaar.objects.filter(beschikking=beschikking).update(
        status=BezwaarStatus.ONGEGROND, decided_on=TODAY, decided_by=UserFactory(), decision_motivation="Ongegrond."
    )
    type(incident).objects.filter(pk=incident.pk).update(
        status="afgesloten", ggd_reported_on=TODAY, ggd_reference="GGD-1", closed_on=TODAY, closing_note="Klaar."
    )
    assert closed_ids() == {with_bezwaar.pk, with_decided_bezwaar.pk, with_incident.pk}


# -- the nightly proposal ------------------------------------------------------------------------------


def test_the_nightly_task_proposes_each_closed_file_once_and_records_counts_only(settings):
    settings.CLIENT_FILE_RETENTION_YEARS = YEARS
    first, second = closed_client(), closed_client()
    closed_client(ended_on=TODAY - timedelta(days=365))  # not closed long enough

    result = tasks.propose_closed_client_files.apply().get()
    assert result == {"proposed": 2, "resumed": 0, "lapsed": 0, "retention_years": YEARS}
    assert set(DestructionProposal.objects.values_list("client_id", "status", "closed_on")) == {
        (first.pk, DestructionStatus.PROPOSED, LONG_AGO),
        (second.pk, DestructionStatus.PROPOSED, LONG_AGO),
    }
    event = AuditEvent.objects.filter(object_type="indications.destructionproposal", object_id="").get()
    assert event.changes == result
    assert first.bsn not in event.summary and first.last_name not in str(event.changes)

    assert tasks.propose_closed_client_files.apply().get()["proposed"] == 0
    assert DestructionProposal.objects.count() == 2
    assert all(p.status_changes.count() == 1 for p in DestructionProposal.objects.all())


def test_a_postponed_proposal_comes_back_and_one_whose_file_reopened_lapses():
    beheerder = staff_member(FUNCTIONEEL_BEHEERDER)
    postponed_client, reopened = closed_client(), closed_client()
    retention.propose_closed_client_files(today=TODAY)
    postponed = DestructionProposal.objects.get(client=postponed_client)
    retention.postpone_destruction(
        postponed, by=beheerder, note="Archivaris bekijkt dit dossier.", until=TODAY + timedelta(days=30), today=TODAY
    )
    MeldingFactory(client=reopened, received_on=TODAY)

    assert retention.propose_closed_client_files(today=TODAY + timedelta(days=1))["lapsed"] == 1
    assert DestructionProposal.objects.get(client=reopened).status == DestructionStatus.LAPSED
    result = retention.propose_closed_client_files(today=TODAY + timedelta(days=30))
    assert result["resumed"] == 1 and result["proposed"] == 0
    assert DestructionProposal.objects.get(pk=postponed.pk).status == DestructionStatus.PROPOSED


def test_a_rejected_file_is_not_proposed_again():
    beheerder = staff_member(FUNCTIONEEL_BEHEERDER)
    client = closed_client()
    retention.propose_closed_client_files(today=TODAY)
    retention.reject_destruction(
        DestructionProposal.objects.get(client=client), by=beheerder, note="Historisch belang: bewaren."
    )
    assert retention.propose_closed_client_files(today=TODAY + timedelta(days=1))["proposed"] == 0


# -- the review ----------------------------------------------------------------------------------------


@pytest.fixture
def proposal(db):
    closed_client()
    retention.propose_closed_client_files(today=TODAY)
    return DestructionProposal.objects.get()


def test_the_review_page_lists_the_proposal_with_masked_bsn_and_its_holds(client, proposal):
    BezwaarFactory(beschikking=proposal.client.indications.get(), letter_date=LONG_AGO - timedelta(days=300))
    client.force_login(staff_member(FUNCTIONEEL_BEHEERDER))
    page = client.get(reverse("indications:destruction_proposals"))
    assert page.status_code == 200
    text = page.content.decode()
    assert proposal.client.masked_bsn in text and proposal.client.bsn not in text
    assert "bezwaar in behandeling" in text and "Bewaartermijn dossiers" in text


def test_a_consultant_may_not_see_or_decide(client, proposal):
    client.force_login(staff_member(CONSULENT))
    assert client.get(reverse("indications:destruction_proposals")).status_code == 403
    url = reverse("indications:destruction_proposal", args=[proposal.uuid])
    assert client.post(url, {"decision": "goedkeuren", "note": "Mag weg, termijn verstreken."}).status_code == 403
    assert client.post(reverse("indications:destruction_execute", args=[proposal.uuid])).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == DestructionStatus.PROPOSED


def test_approval_needs_a_reason_shown_next_to_the_field(client, proposal):
    client.force_login(staff_member(FUNCTIONEEL_BEHEERDER))
    url = reverse("indications:destruction_proposal", args=[proposal.uuid])
    page = client.post(url, {"decision": "goedkeuren", "note": "kort"})
    assert page.status_code == 200
    assert page.context["form"].errors["note"] == ["Geef een toelichting van minstens 10 tekens."]
    page = client.post(url, {"decision": "uitstellen", "note": "Wacht op de archivaris."})
    assert page.context["form"].errors["until"] == ["Kies de datum tot wanneer u uitstelt."]
    proposal.refresh_from_db()
    assert proposal.status == DestructionStatus.PROPOSED


def test_approve_then_execute_through_the_pages_is_audited(client, proposal):
    beheerder = staff_member(FUNCTIONEEL_BEHEERDER)
    client.force_login(beheerder)
    url = reverse("indications:destruction_proposal", args=[proposal.uuid])
    response = client.post(url, {"decision": "goedkeuren", "note": "Selectielijst: vernietigen na 15 jaar."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.note) == (
        DestructionStatus.APPROVED,
        beheerder,
        "Selectielijst: vernietigen na 15 jaar.",
    )
    assert client.post(reverse("indications:destruction_execute", args=[proposal.uuid])).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == DestructionStatus.EXECUTED and proposal.executed_by == beheerder
    assert list(proposal.status_changes.values_list("to_status", flat=True)) == [
        "voorgesteld",
        "goedgekeurd",
        "uitgevoerd",
    ]
    actions = AuditEvent.objects.filter(object_type="indications.destructionproposal", object_id=str(proposal.pk))
    assert actions.count() == 2
    event = AuditEvent.objects.get(object_type="indications.client", action=AuditEvent.Action.DELETE)
    assert event.changes["per_table"]["indications.client"] == 1
    assert event.bsn == retention.placeholder_bsn(proposal.client_id)


def test_a_held_file_cannot_be_approved_or_executed(proposal):
    beheerder = staff_member(FUNCTIONEEL_BEHEERDER)
    retention.approve_destruction(proposal, by=beheerder, note="Termijn verstreken, geen bezwaar.")
    BezwaarFactory(beschikking=proposal.client.indications.get(), letter_date=LONG_AGO - timedelta(days=300))
    with pytest.raises(ValidationError, match="bezwaar in behandeling"):
        retention.execute_destruction(proposal, by=beheerder, today=TODAY)
    proposal.refresh_from_db()
    assert proposal.status == DestructionStatus.APPROVED
    assert Client.objects.get(pk=proposal.client_id).anonymised_at is None
    # A held proposal cannot be approved (again) either; postponing or rejecting it can.
    retention.postpone_destruction(
        proposal, by=beheerder, note="Wacht op de beslissing op bezwaar.", until=TODAY + timedelta(days=90), today=TODAY
    )
    with pytest.raises(ValidationError, match="bezwaar in behandeling"):
        retention.approve_destruction(proposal, by=beheerder, note="Toch maar vernietigen.")
    proposal.refresh_from_db()
    assert proposal.status == DestructionStatus.POSTPONED


def test_only_an_approved_proposal_is_executed(proposal):
    with pytest.raises(ValidationError):
        retention.execute_destruction(proposal, by=staff_member(FUNCTIONEEL_BEHEERDER), today=TODAY)


# -- the anonymisation -----------------------------------------------------------------------------------


def _letter_with_pdf(client: Client) -> Letter:
    template = LetterTemplate.objects.order_by("pk").first()
    letter = Letter(
        kind=template.kind,
        client=client,
        municipality=client.municipality,
        template=template,
        kenmerk=f"TEST-{client.pk}",
        letter_date=LONG_AGO,
        subject="Uw beschikking",
        content={"address": [client.full_name, client.address], "bsn": client.bsn},
    )
    pdf = f"%PDF-1.4 {client.full_name} {client.bsn}".encode()
    letter.pdf.save(f"{letter.kenmerk}.pdf", ContentFile(pdf), save=False)
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    letter.save()
    return letter


def _values(obj: Model) -> str:
    return " ".join(str(getattr(obj, field.attname)) for field in obj._meta.concrete_fields)


def test_anonymising_leaves_no_bsn_or_name_in_the_clients_tables(django_capture_on_commit_callbacks):
    beheerder = staff_member(FUNCTIONEEL_BEHEERDER)
    client = closed_client(
        first_name="Wilhelmina", last_name="Zonnebloem", phone="078 123 4567", email="w.zonnebloem@example.nl"
    )
    personal = [client.bsn, "Wilhelmina", "Zonnebloem", "Voorstraat", "078 123 4567", "zonnebloem@example"]
    beschikking = client.indications.get()
    Indication.objects.filter(pk=beschikking.pk).update(end_reason="Wilhelmina Zonnebloem verhuist.")
    intake = IntakeFactory(
        melding__client=client,
        melding__received_on=LONG_AGO - timedelta(days=400),
        melding__question="Zonnebloem vraagt hulp",
        maatwerk=True,
        report="Wilhelmina Zonnebloem woont aan de Voorstraat.",
    )
    Conversation.objects.create(
        intake=intake, held_on=LONG_AGO - timedelta(days=395), place="thuis", need_notes="Zonnebloem wil hulp"
    )
    Mantelzorger.objects.create(
        intake=intake,
        name="Piet Zonnebloem",
        relation="partner",
        hours_per_week=10,
        load="zwaar",
        recorded_by=beheerder,
    )
    letter = _letter_with_pdf(client)
    storage = Letter._meta.get_field("pdf").storage
    assert storage.exists(letter.pdf.name)
    BezwaarFactory(
        beschikking=beschikking,
        letter_date=LONG_AGO - timedelta(days=300),
        grounds="Zonnebloem is het er niet mee eens.",
        ongegrond=True,
        decided_on=LONG_AGO - timedelta(days=200),
    )
    IncidentFactory(
        assignment=AssignmentFactory(indication=beschikking, end_date=LONG_AGO),
        description="Zonnebloem viel van de trap.",
        status="afgesloten",
        ggd_reported_on=TODAY,
        ggd_reference="GGD-2026-1",
        closed_on=TODAY,
        closing_note="Wilhelmina is hersteld.",
    )
    OutgoingMessageFactory(client=client, xml=f"<Bericht><Bsn>{client.bsn}</Bsn><Naam>Zonnebloem</Naam></Bericht>")
    # The bezwaar's own records are decided long ago, not the test's today.
    Client.objects.filter(pk=client.pk).update(created_at=_at(LONG_AGO - timedelta(days=500)))
    Melding.objects.filter(client=client).update(received_on=LONG_AGO - timedelta(days=400))
    Intake.objects.filter(melding__client=client).update(concluded_on=LONG_AGO - timedelta(days=390))

    retention.propose_closed_client_files(today=TODAY)
    proposal = DestructionProposal.objects.get(client=client)
    retention.approve_destruction(proposal, by=beheerder, note="Bewaartermijn van 15 jaar verstreken.")
    # The letter cannot be anonymised in place: the trigger refuses any change of a sent letter.
    with pytest.raises((IntegrityError, ProgrammingError)), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(subject="gewijzigd")
    with django_capture_on_commit_callbacks(execute=True):
        proposal = retention.execute_destruction(proposal, by=beheerder, today=TODAY)

    client.refresh_from_db()
    assert client.bsn == f"X{client.pk:08d}" and client.masked_bsn == f"*****{client.pk % 10000:04d}"
    assert client.date_of_birth == date(1975, 1, 1) and client.municipality.name == "Dordrecht"
    assert client.anonymised_at is not None
    checked = set()
    for model, lookups in client_data_models().items():
        for row in records_of(client, model, lookups):
            checked.add(model._meta.label_lower)
            text = _values(row)
            for value in personal:
                assert value not in text, f"{model._meta.label}: {value}"
    assert checked >= {
        "indications.client",
        "indications.melding",
        "indications.intake",
        "indications.conversation",
        "indications.mantelzorger",
        "indications.indication",
        "objections.bezwaar",
        "iwmo.outgoingmessage",
        "incidents.incident",
        "providers.assignment",
    }
    assert not Letter.objects.filter(client=client).exists()
    assert not storage.exists(letter.pdf.name)
    # The figures stay: the beschikking's dates, product and status.
    beschikking.refresh_from_db()
    assert (beschikking.status, beschikking.ended_on, beschikking.product.code) == ("beeindigd", LONG_AGO, "IB1")
    assert proposal.counts["letters.letter"] == 1 and proposal.counts["iwmo.outgoingmessage"] == 1
    assert proposal.counts["objections.bezwaar"] == 1 and proposal.counts["incidents.incident"] == 1
    # Pages that show the masked BSN still work for the anonymised client.
    proposal = DestructionProposal.objects.select_related("client").get(pk=proposal.pk)
    assert str(proposal) == f"Vernietiging {client.masked_bsn} (uitgevoerd (geanonimiseerd))"


def test_the_status_table_as_a_scenario(proposal):
    """Every allowed path succeeds; a decided proposal moves nowhere and stays as it was."""
    beheerder = staff_member(FUNCTIONEEL_BEHEERDER)
    note = "Besluit van de archivaris."
    retention.postpone_destruction(proposal, by=beheerder, note=note, until=TODAY + timedelta(days=7), today=TODAY)
    retention.postpone_destruction(proposal, by=beheerder, note=note, until=TODAY + timedelta(days=14), today=TODAY)
    retention.approve_destruction(proposal, by=beheerder, note=note)
    retention.reject_destruction(proposal, by=beheerder, note=note)
    proposal.refresh_from_db()
    assert proposal.status == DestructionStatus.REJECTED and proposal.postponed_until is None
    for move in (retention.approve_destruction, retention.reject_destruction):
        with pytest.raises(retention.InvalidDestructionMove):
            move(proposal, by=beheerder, note=note)
    with pytest.raises(ValidationError):
        retention.postpone_destruction(proposal, by=beheerder, note=note, until=TODAY - timedelta(days=1), today=TODAY)
    proposal.refresh_from_db()
    assert proposal.status == DestructionStatus.REJECTED
    assert list(proposal.status_changes.values_list("to_status", flat=True)) == [
        "voorgesteld",
        "uitgesteld",
        "uitgesteld",
        "goedgekeurd",
        "afgewezen",
    ]
