"""Our own test messages: WMO305/307 as a provider's system would send them, built from plain data."""

from datetime import date

from iwmo import regie, verzoeken
from iwmo.xml import Header

_counter = iter(range(1, 10**9))


def regie_message(
    message_type: str,
    assignment,
    *,
    begindatum: date,
    einddatum: date | None = None,
    reden: str = "19",
    dagtekening: date,
    identification: str | None = None,
    bsn: str | None = None,
    status: str = "1",
    nummer: str | None = None,
    sender: str | None = None,
    receiver: str | None = None,
    ingangsdatum: date | None = None,
    extra_products: list[regie.RegieProduct] = (),
) -> bytes:
    client = assignment.indication.client
    product = regie.RegieProduct(
        nummer=nummer or str(int(assignment.number)),
        categorie=assignment.product.iwmo_category,
        code=assignment.product.iwmo_code,
        toewijzing_ingangsdatum=ingangsdatum or assignment.start_date,
        begindatum=begindatum,
        reden_beeindiging=reden if message_type == "WMO307" else "",
        einddatum=einddatum if message_type == "WMO307" else None,
        status_aanlevering=status,
    )
    message = regie.Regiebericht(
        message_type=message_type,
        header=Header(
            message_type=message_type,
            sender=sender or assignment.provider.agb_code,
            receiver=receiver or client.municipality.code,
            identification=identification or f"T{next(_counter):011d}",
            dagtekening=dagtekening,
        ),
        client=regie.RegieClient(
            bsn=bsn or client.bsn,
            geboortedatum=client.date_of_birth.isoformat(),
            datum_gebruik="",
            geslacht="1",
            achternaam=client.last_name,
            voornamen=client.first_name,
        ),
        producten=[product, *extra_products],
    )
    return regie.build_heenbericht(message)


def start_message(assignment, *, begindatum: date, dagtekening: date, **fields) -> bytes:
    return regie_message("WMO305", assignment, begindatum=begindatum, dagtekening=dagtekening, **fields)


def stop_message(assignment, *, begindatum: date, einddatum: date, dagtekening: date, **fields) -> bytes:
    return regie_message(
        "WMO307", assignment, begindatum=begindatum, einddatum=einddatum, dagtekening=dagtekening, **fields
    )


def verzoek_message(
    assignment,
    *,
    dagtekening: date,
    einddatum: date | None = None,
    gewenste_ingangsdatum: date | None = None,
    nieuw_product=None,
    nieuw_ingangsdatum: date | None = None,
    omvang=None,
    budget: str = "",
    reden: str = "1",
    referentie: str | None = None,
    identification: str | None = None,
    bsn: str | None = None,
    nummer: str | None = None,
    ongewijzigd: tuple[str, ...] = (),
    extra: list[verzoeken.VerzoekProduct] = (),
    sender: str | None = None,
) -> bytes:
    """A WMO317 asking to change `assignment`: another Einddatum, or (with `nieuw_product`, an
    indications Product) that product in its place, from `nieuw_ingangsdatum` (default the
    dagtekening), with an `omvang` (iwmo.verzoek_toewijzing.Omvang) or a `budget` (eurocent)."""
    client = assignment.indication.client
    counter = next(_counter)
    products = [verzoeken.VerzoekProduct(soort=verzoeken.ONGEWIJZIGD, nummer=number) for number in ongewijzigd]
    products.append(
        verzoeken.VerzoekProduct(
            soort=verzoeken.TE_WIJZIGEN,
            nummer=nummer or str(int(assignment.number)),
            gewenste_ingangsdatum=gewenste_ingangsdatum or assignment.start_date,
            einddatum=None if nieuw_product else einddatum,
        )
    )
    if nieuw_product is not None:
        products.append(
            verzoeken.VerzoekProduct(
                soort=verzoeken.NIEUW,
                categorie=nieuw_product.iwmo_category,
                code=nieuw_product.iwmo_code,
                gewenste_ingangsdatum=nieuw_ingangsdatum or dagtekening,
                einddatum=einddatum,
                omvang=omvang,
                budget=budget,
            )
        )
    products += list(extra)
    message = verzoeken.VerzoekOmWijziging(
        header=Header(
            message_type="WMO317",
            sender=sender or assignment.provider.agb_code,
            receiver=client.municipality.code,
            identification=identification or f"V{counter:011d}",
            dagtekening=dagtekening,
        ),
        bsn=bsn or client.bsn,
        referentie_aanbieder=referentie or f"REF-{counter}",
        reden_verzoek=reden,
        producten=products,
    )
    return verzoeken.build(message)
