"""Our own test messages: WMO305/307 as a provider's system would send them, built from plain data."""

from datetime import date

from iwmo import regie
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
