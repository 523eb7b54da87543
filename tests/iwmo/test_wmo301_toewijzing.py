"""WMO301 on vaststelling, change and end of a toewijzing: written into the outbox in the same
transaction as the change (a transactional outbox), carrying every current toewijzing of the client
at the provider plus the changed ones, and read back to the same data (round trip)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from indications.models import Product
from iwmo import codes, wmo301
from iwmo.models import OutgoingMessage, ProductOmvang
from iwmo.xml import validate_bytes
from providers import services
from providers.models import Assignment
from tests.factories import TODAY, contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db


def sent_301s(**filters):
    return list(OutgoingMessage.objects.filter(message_type=codes.MessageType.WMO301, **filters).order_by("id"))


def test_a_vaststelling_writes_one_301_with_header_and_product(provider, consultant, xsd_dir):
    assignment = issued_assignment(provider, consultant, today=TODAY, product="IB1")
    (message,) = sent_301s()
    client = assignment.indication.client
    assert (message.sender, message.receiver) == (client.municipality.code, provider.agb_code)
    assert message.status == OutgoingMessage.Status.QUEUED and message.client == client
    assert message.assignment_numbers == [assignment.number]

    parsed = wmo301.parse(message.xml.encode())
    assert parsed.header.message_type == codes.MessageType.WMO301
    assert (parsed.header.sender, parsed.header.receiver) == ("0505", provider.agb_code)
    assert (parsed.header.identification, parsed.header.dagtekening) == (message.identification, TODAY)
    assert (parsed.header.berichtversie, parsed.header.berichtsubversie) == ("3", "2")
    assert parsed.client.bsn == client.bsn and parsed.client.geboortedatum == client.date_of_birth
    assert parsed.client.geslacht == "1" and parsed.client.achternaam == client.last_name
    assert parsed.client.adres.straat == "Voorstraat" and parsed.client.adres.postcode == "3311AA"
    (product,) = parsed.producten
    assert product.nummer == int(assignment.number)
    assert (product.categorie, product.code) == ("02", "02A06")
    assert (product.ingangsdatum, product.einddatum) == (assignment.start_date, assignment.end_date)
    assert product.omvang == wmo301.Omvang(volume=1, eenheid="82", frequentie="4")
    validate_bytes("WMO301", message.xml.encode())  # against the official XSD when IWMO_XSD_DIR is set


def test_the_round_trip_gives_the_same_data():
    header = wmo301.Header(
        message_type="WMO301",
        sender="0642",
        receiver="12345678",
        identification="000000000042",
        dagtekening=TODAY,
    )
    message = wmo301.Toewijzingbericht(
        header=header,
        client=wmo301.Persoon(
            bsn="999900006",
            geboortedatum=TODAY - timedelta(days=20000),
            geslacht="2",
            achternaam="Vries",
            voorvoegsel="de",
            voornamen="Anna",
            voorletters="A",
            adres=wmo301.Adres(
                huisnummer=12,
                huisletter="A",
                toevoeging="2",
                postcode="3311AA",
                straat="Voorstraat",
                plaats="Dordrecht",
            ),
        ),
        producten=[
            wmo301.ToegewezenProduct(
                nummer=42,
                categorie="02",
                code="02A06",
                toewijzingsdatum=TODAY,
                toewijzingstijd=wmo301.time(10, 11, 12),
                ingangsdatum=TODAY,
                einddatum=TODAY + timedelta(days=90),
                reden_wijziging="04",
                omvang=wmo301.Omvang(1, "82", "6"),
            ),
            wmo301.ToegewezenProduct(
                nummer=43,
                categorie="02",
                code="",
                toewijzingsdatum=TODAY,
                toewijzingstijd=wmo301.time(9, 0),
                ingangsdatum=TODAY,
            ),
        ],
    )
    assert wmo301.parse(wmo301.build(message)) == message


def test_the_omvang_is_data_per_product(provider, consultant):
    """docs/iwmo.md: the Omvang comes from ProductOmvang, not from code; CD080: no code, no Omvang."""
    ProductOmvang.objects.filter(product__code="IB1").update(volume=1, eenheid="82", frequentie="6")
    issued_assignment(provider, consultant, today=TODAY, product="IB1")
    (message,) = sent_301s()
    (product,) = wmo301.parse(message.xml.encode()).producten
    assert product.omvang == wmo301.Omvang(1, "82", "6")

    ib0 = Product.objects.get(code="IB0")
    assert ib0.iwmo_code == ""
    issued_assignment(provider, consultant, today=TODAY, product="IB0")
    (product,) = wmo301.parse(sent_301s()[-1].xml.encode()).producten
    assert (product.categorie, product.code, product.omvang) == ("02", "", None)


def test_a_change_of_provider_sends_the_end_to_the_old_and_the_new_toewijzing_to_the_new(provider, consultant):
    assignment = issued_assignment(provider, consultant, today=TODAY)
    other = contracted_provider(name="Andere Aanbieder")
    on = TODAY + timedelta(days=10)
    new = services.change_provider(assignment.indication, provider=other, by=consultant, on=on, today=TODAY)
    to_old = sent_301s(provider=provider)
    to_new = sent_301s(provider=other)
    # The first 301 to the old provider had not been tried yet: it is rewritten, not sent twice.
    assert len(to_old) == 1 and len(to_new) == 1
    (ended,) = wmo301.parse(to_old[0].xml.encode()).producten
    assert (ended.nummer, ended.einddatum, ended.reden_wijziging) == (
        int(assignment.number),
        on - timedelta(days=1),
        "09",
    )
    (started,) = wmo301.parse(to_new[0].xml.encode()).producten
    assert (started.nummer, started.ingangsdatum) == (int(new.number), on)


def test_a_301_carries_every_current_toewijzing_and_the_changed_one(provider, consultant):
    """The standard's rule: a 301 carries all current toewijzingen of the client at the provider plus
    the changed ones; an unchanged one keeps its Toewijzingsdatum and -tijd."""
    first = issued_assignment(provider, consultant, today=TODAY, product="IB1")
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    indication = first.indication
    second_product = Product.objects.get(code="IB3")
    second = services._create_assignment(
        indication.__class__.objects.get(pk=indication.pk),
        provider=provider,
        start_date=first.start_date,
        by=consultant,
        today=TODAY,
        summary="tweede {number} {agb_code}",
    )
    Assignment.objects.filter(pk=second.pk).update(product=second_product)
    OutgoingMessage.objects.filter(status=OutgoingMessage.Status.QUEUED).update(status=OutgoingMessage.Status.DELIVERED)
    earlier = {p.nummer: p for p in wmo301.parse(sent_301s()[0].xml.encode()).producten}

    services.end_assignments_of(indication, end_date=TODAY + timedelta(days=5), reason="05", by=consultant, today=TODAY)
    latest = wmo301.parse(sent_301s()[-1].xml.encode())
    numbers = {p.nummer for p in latest.producten}
    assert numbers == {int(first.number), int(second.number)}
    assert all(p.einddatum == TODAY + timedelta(days=5) and p.reden_wijziging == "05" for p in latest.producten)
    assert earlier[int(first.number)].toewijzingsdatum == TODAY


def test_a_withdrawn_toewijzing_is_sent_as_verwijderd_on_its_ingangsdatum(provider, consultant):
    """CS335: RedenWijziging 13 (verwijderd) only with Einddatum = Ingangsdatum."""
    assignment = issued_assignment(provider, consultant, today=TODAY, days_ago=0)
    OutgoingMessage.objects.update(status=OutgoingMessage.Status.DELIVERED)
    services.end_assignments_of(
        assignment.indication,
        end_date=assignment.start_date - timedelta(days=1),
        reason="05",
        by=consultant,
        today=TODAY,
    )
    (product,) = wmo301.parse(sent_301s()[-1].xml.encode()).producten
    assert (product.reden_wijziging, product.einddatum) == ("13", assignment.start_date)


def test_the_301_is_written_in_the_transaction_of_the_change(provider, consultant, monkeypatch):
    """A 301 that cannot be written (here: refused by the XSD check) rolls the vaststelling back."""
    from iwmo import outbox

    def refuse(message_type, xml):
        raise outbox.TechnicalError("kapot")

    monkeypatch.setattr(outbox, "validate_bytes", refuse)
    with pytest.raises(ValidationError, match="voldoet niet aan de iWmo-XSD"):
        issued_assignment(provider, consultant, today=TODAY)
    assert not Assignment.objects.exists() and not OutgoingMessage.objects.exists()
