"""WMO323 (declaratie) in: the provider's bill for one declaratieperiode, read into a `DeclaratieIn`,
and the in-message conditions of the standard checked on it; `build` writes one (the provider's
side: the simulator and the tests).

Reading follows the XSD's data types strictly (a date that is no date, an amount that is no whole
number of cents, a DebetCredit other than D or C, an unknown Eenheid): such a message is what the
official XSD refuses, so it is a technical rejection of the whole message (0001 in the header), the
same with or without IWMO_XSD_DIR. The conditions that the XSD cannot express are `check_conditions`:
each finding is a WJ001 code on its class (the DeclaratieAntwoord, a Client or a Prestatie of the
WMO325), never an exception. They work on the plain `DeclaratieIn`, so the REST API's JSON face can
run the same checks."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from indications.validators import is_valid_bsn
from iwmo import regie
from iwmo.codes import MessageType
from iwmo.codes import Retourcode as R
from iwmo.xml import Header, Reader, TechnicalError, Writer

from .types import CREDIT, DEBIT, DeclaratieIn, DeclaratieOutcome, PrestatieIn

DECLARATIE = MessageType.WMO323
TECH = R.TECHNISCH_AFGEKEURD  # 0001: the code of every in-message condition that names none of its own
# CS100: no period before 1 January 2021 (the start of release 3.x declaraties).
EARLIEST = date(2021, 1, 1)
# TR335: an Einddatum at most 5 years before the DeclaratieDagtekening.
MAX_AGE_YEARS = 5
EURO_UNIT = "83"  # WJ756 83 euro's (CD087, CS339)
UNITS = ("01", "04", "14", "16", "82", "83", "84")  # WJ756 as LDT_Eenheid enumerates it
MAX_BEDRAG = 99_999_999  # LDT_Bedrag, LDT_Volume
MAX_TOTAAL = 999_999_999_999  # LDT_TotaalBedrag
MAX_NUMMER = 999_999_999  # LDT_Nummer

_DECLARATIENUMMER = re.compile(r"^[a-zA-Z0-9]{1,12}$")  # CS319, LDT_IdentificatieDeclaratie
_BSN = re.compile(r"^[0-9]{9}$")
_PRODUCTCATEGORIE = re.compile(r"^[0-9]{2}$")


@dataclass
class Declaratiebericht:
    """A read WMO323: the header, the declaratie, and the Bsn of each Client element in the message's
    order (TR101: a client appears once). `outcome` is filled by the judgement, for the WMO325."""

    header: Header
    declaratie: DeclaratieIn
    client_bsns: tuple[str, ...]
    message_type: str = DECLARATIE
    outcome: DeclaratieOutcome | None = None

    @property
    def producten(self) -> tuple[PrestatieIn, ...]:
        return self.declaratie.prestaties


def read(message_type: str, root) -> Declaratiebericht:
    """The WMO323 in `root` (parsed by iwmo.xml.parse_message); TechnicalError when a value is not of
    the XSD's type."""
    reader = Reader(root, message_type)
    header = reader.header()
    regie.check_header(header)
    element = reader.find(root, "Declaratie")
    if element is None:
        raise TechnicalError(_("Het bericht heeft geen Declaratie."))
    number = reader.text(element, "DeclaratieNummer")
    if not _DECLARATIENUMMER.match(number):
        raise TechnicalError(_("DeclaratieNummer moet 1 tot 12 letters of cijfers zijn (CS319)."))
    period_start, period_end = _period(reader, element, "DeclaratiePeriode")
    prestaties = []
    bsns = []
    for client in reader.findall(element, "Clienten", "Client"):
        bsn = reader.text(client, "Bsn")
        if not _BSN.match(bsn):
            raise TechnicalError(_("Bsn moet uit 9 cijfers bestaan."))
        bsns.append(bsn)
        lines = reader.findall(client, "Prestaties", "Prestatie")
        if not lines:
            raise TechnicalError(_("Een Client in de declaratie heeft geen Prestatie."))
        prestaties += [_prestatie(reader, line, bsn) for line in lines]
    if not prestaties:
        raise TechnicalError(_("De declaratie bevat geen Client."))
    return Declaratiebericht(
        header=header,
        declaratie=DeclaratieIn(
            number=number,
            period_start=period_start,
            period_end=period_end,
            dagtekening=_date(reader.text(element, "DeclaratieDagtekening"), "DeclaratieDagtekening"),
            total_cents=_whole(reader.text(element, "TotaalIngediendBedrag", basis=("TotaalBedrag",)), MAX_TOTAAL),
            total_debit_credit=_debit_credit(reader.text(element, "TotaalIngediendBedrag", basis=("DebetCredit",))),
            prestaties=tuple(prestaties),
        ),
        client_bsns=tuple(bsns),
    )


def _prestatie(reader: Reader, line, bsn: str) -> PrestatieIn:
    reference = reader.text(line, "ProductReferentie", basis=("ReferentieNummer",))
    previous = reader.text(line, "ProductReferentie", basis=("VorigReferentieNummer",))
    if not 1 <= len(reference) <= 20 or len(previous) > 20:
        raise TechnicalError(_("ReferentieNummer ontbreekt of is langer dan 20 tekens."))
    category, code = reader.text(line, "ProductCategorie"), reader.text(line, "ProductCode")
    if not _PRODUCTCATEGORIE.match(category) or not 1 <= len(code) <= 5:
        raise TechnicalError(_("ProductCategorie of ProductCode heeft niet de vorm uit de standaard."))
    unit = reader.text(line, "Eenheid")
    if unit not in UNITS:
        raise TechnicalError(_("Eenheid %(unit)s komt niet voor in WJ756.") % {"unit": unit[:10]})
    start, end = _period(reader, line, "ProductPeriode")
    tariff = reader.text(line, "ProductTarief")
    number = reader.text(line, "ToewijzingNummer")
    _whole(number, MAX_NUMMER)
    return PrestatieIn(
        bsn=bsn,
        reference=reference,
        previous_reference=previous,
        assignment_number=number,
        product_category=category,
        product_code=code,
        period_start=start,
        period_end=end,
        volume=_whole(reader.text(line, "GeleverdVolume"), MAX_BEDRAG),
        unit=unit,
        tariff_cents=_whole(tariff, MAX_BEDRAG) if tariff else None,
        amount_cents=_whole(reader.text(line, "IngediendBedrag", basis=("Bedrag",)), MAX_BEDRAG),
        debit_credit=_debit_credit(reader.text(line, "IngediendBedrag", basis=("DebetCredit",))),
    )


def _period(reader: Reader, parent, name: str) -> tuple[date, date]:
    return (
        _date(reader.text(parent, name, basis=("Begindatum",)), f"{name} Begindatum"),
        _date(reader.text(parent, name, basis=("Einddatum",)), f"{name} Einddatum"),
    )


def _date(value: str, name: str) -> date:
    problems: list[str] = []
    found = regie.read_date(value, name, problems)
    if found is None:
        raise TechnicalError(problems[0] if problems else _("%(name)s ontbreekt.") % {"name": name})
    return found


def _whole(value: str, maximum: int) -> int:
    if not value.isdigit() or int(value) > maximum:
        raise TechnicalError(
            _("%(value)s is geen geheel getal van 0 tot en met %(max)s.") % {"value": value[:20], "max": maximum}
        )
    return int(value)


def _debit_credit(value: str) -> str:
    if value not in (DEBIT, CREDIT):
        raise TechnicalError(_("DebetCredit moet D of C zijn."))
    return value


# ---------------------------------------------------------------------------------------------
# In-message conditions


@dataclass
class Conditions:
    """What the in-message conditions found, per class: (code, Dutch text) on the Declaratie, per
    client (by Bsn) and per prestatie (by index in DeclaratieIn.prestaties)."""

    declaratie: list[tuple[str, str]] = field(default_factory=list)
    clients: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    prestaties: dict[int, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))


def _one_calendar_month(start: date, end: date) -> bool:
    return start.day == 1 and end == _month_end(start)


def _month_end(day: date) -> date:
    first_of_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_of_next - timedelta(days=1)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def check_conditions(declaratie: DeclaratieIn, *, dagtekening: date, client_bsns: tuple[str, ...] = ()) -> Conditions:
    """The WMO323's in-message conditions (all 0001 unless the rule names its own code), on the
    declaratie as a whole, on its clients and on each prestatie. `dagtekening` is the message's
    (the header's) dagtekening; `client_bsns` the Bsn of each Client element, for TR101."""
    found = Conditions()
    decl = found.declaratie
    if declaratie.period_start < EARLIEST:
        decl.append((TECH, _("De DeclaratiePeriode begint vóór 1 januari 2021 (CS100).")))
    if not _one_calendar_month(declaratie.period_start, declaratie.period_end):
        decl.append((TECH, _("De DeclaratiePeriode is niet precies één kalendermaand (CS340).")))
    if declaratie.period_end > dagtekening:
        decl.append((TECH, _("De DeclaratiePeriode eindigt na de dagtekening van het bericht (TR137).")))
    if declaratie.dagtekening > dagtekening:
        decl.append((TECH, _("De DeclaratieDagtekening ligt na de dagtekening van het bericht (TR134).")))
    if declaratie.total_cents == 0 and declaratie.total_debit_credit != DEBIT:
        decl.append((TECH, _("Een TotaalBedrag van 0 heeft DebetCredit D (CS325).")))
    if declaratie.signed_total_cents != sum(prestatie.signed_cents for prestatie in declaratie.prestaties):
        decl.append((TECH, _("Het TotaalIngediendBedrag is niet de som van de prestaties met D/C (TR358).")))
    for bsn, count in Counter(client_bsns).items():
        if count > 1:
            found.clients[bsn].append((TECH, _("De cliënt staat meer dan eens in het bericht (TR101).")))
    for bsn in dict.fromkeys(prestatie.bsn for prestatie in declaratie.prestaties):
        if not is_valid_bsn(bsn):
            found.clients[bsn].append((TECH, _("Het BSN voldoet niet aan de elfproef (CS002).")))
    _check_prestaties(declaratie, dagtekening=dagtekening, found=found)
    return found


def _check_prestaties(declaratie: DeclaratieIn, *, dagtekening: date, found: Conditions) -> None:
    prestaties = declaratie.prestaties
    references = Counter(prestatie.reference for prestatie in prestaties)
    previous = Counter(prestatie.previous_reference for prestatie in prestaties if prestatie.previous_reference)
    debit_keys: set[tuple] = set()
    oldest_end = _years_before(declaratie.dagtekening, MAX_AGE_YEARS)
    for index, prestatie in enumerate(prestaties):
        note = found.prestaties[index].append
        if prestatie.period_start < EARLIEST:
            note((TECH, _("De ProductPeriode begint vóór 1 januari 2021 (CS100).")))
        if (prestatie.period_start.year, prestatie.period_start.month) != (
            prestatie.period_end.year,
            prestatie.period_end.month,
        ):
            note((TECH, _("De ProductPeriode valt niet binnen één kalendermaand (CS337).")))
        if not prestatie.period_start <= prestatie.period_end <= dagtekening:
            note(
                (
                    R.TECHNISCH_AFGEKEURD,
                    _("De Einddatum van de ProductPeriode ligt vóór de Begindatum of na de dagtekening (TR137)."),
                )
            )
        if prestatie.period_end < oldest_end:
            note((TECH, _("De ProductPeriode eindigt meer dan 5 jaar vóór de dagtekening (TR335).")))
        if prestatie.period_end > declaratie.period_end:
            note((R.PERIODE_BUITEN_DECLARATIEPERIODE, ""))  # TR319
        credit = prestatie.debit_credit == CREDIT
        if credit != bool(prestatie.previous_reference):
            note((TECH, _("VorigReferentieNummer alleen en altijd bij een creditregel (CD060).")))
        if (prestatie.unit == EURO_UNIT) != (prestatie.tariff_cents is None):
            note((TECH, _("ProductTarief alleen en altijd bij een Eenheid anders dan 83 (CD087).")))
        if prestatie.unit == EURO_UNIT and prestatie.amount_cents != prestatie.volume:
            note((TECH, _("Bij Eenheid 83 is het IngediendBedrag gelijk aan het GeleverdVolume (CS339).")))
        if prestatie.amount_cents == 0 and prestatie.debit_credit != DEBIT:
            note((TECH, _("Een Bedrag van 0 heeft DebetCredit D (CS325).")))
        if references[prestatie.reference] > 1:
            note((R.REFERENTIE_AL_AANGELEVERD, ""))  # TR314, within the message (TR101)
        if prestatie.previous_reference and previous[prestatie.previous_reference] > 1:
            note((TECH, _("Het VorigReferentieNummer komt meer dan eens in het bericht voor (TR315).")))
        if prestatie.previous_reference and prestatie.previous_reference in references:
            note((TECH, _("Een debetregel wordt in hetzelfde bericht gecrediteerd (TR316).")))
        if not credit:
            key = (
                prestatie.assignment_number.lstrip("0"),
                prestatie.product_category,
                prestatie.product_code,
                prestatie.period_start,
                prestatie.period_end,
            )
            if key in debit_keys:
                note((TECH, _("Een tweede debetregel voor dezelfde toewijzing, product en periode (TR416).")))
            debit_keys.add(key)
    for index in [index for index, codes in found.prestaties.items() if not codes]:
        del found.prestaties[index]


# ---------------------------------------------------------------------------------------------
# Writing (the provider's side)


def build(header: Header, declaratie: DeclaratieIn) -> bytes:
    """A WMO323 as a provider sends it: one Client per Bsn (in order of first appearance) with its
    prestaties in the declaratie's order."""
    writer = Writer(DECLARATIE)
    writer.header(header)
    element = writer.add(writer.root, "Declaratie", always=True)
    writer.add(element, "DeclaratieNummer", declaratie.number)
    write_period(writer, element, "DeclaratiePeriode", declaratie.period_start, declaratie.period_end)
    writer.add(element, "DeclaratieDagtekening", declaratie.dagtekening)
    write_amount(writer, element, "TotaalIngediendBedrag", declaratie.total_cents, declaratie.total_debit_credit)
    clients = writer.add(element, "Clienten", always=True)
    for bsn, lines in group_by_client(declaratie.prestaties).items():
        client = writer.add(clients, "Client", always=True)
        writer.add(client, "Bsn", bsn)
        container = writer.add(client, "Prestaties", always=True)
        for _index, prestatie in lines:
            write_prestatie(writer, container, prestatie)
    return writer.tobytes()


def group_by_client(prestaties) -> dict[str, list[tuple[int, PrestatieIn]]]:
    """(index, prestatie) per Bsn, clients in order of first appearance."""
    grouped: dict[str, list[tuple[int, PrestatieIn]]] = {}
    for index, prestatie in enumerate(prestaties):
        grouped.setdefault(prestatie.bsn, []).append((index, prestatie))
    return grouped


def write_period(writer: Writer, parent, name: str, start: date, end: date):
    period = writer.add(parent, name, always=True)
    writer.basis(period, "Begindatum", start)
    writer.basis(period, "Einddatum", end)
    return period


def write_amount(writer: Writer, parent, name: str, cents: int, debit_credit: str, *, total: bool = True):
    amount = writer.add(parent, name, always=True)
    writer.basis(amount, "TotaalBedrag" if total else "Bedrag", cents)
    writer.basis(amount, "DebetCredit", debit_credit)
    return amount


def write_prestatie(writer: Writer, container, prestatie: PrestatieIn, retourcodes=None):
    """One Prestatie (the same elements in the 323 and the 325; the 325 adds its RetourCodes)."""
    element = writer.add(container, "Prestatie", always=True)
    reference = writer.add(element, "ProductReferentie", always=True)
    writer.basis(reference, "ReferentieNummer", prestatie.reference)
    writer.basis(reference, "VorigReferentieNummer", prestatie.previous_reference)
    writer.add(element, "ToewijzingNummer", prestatie.assignment_number)
    writer.add(element, "ProductCategorie", prestatie.product_category)
    writer.add(element, "ProductCode", prestatie.product_code)
    write_period(writer, element, "ProductPeriode", prestatie.period_start, prestatie.period_end)
    writer.add(element, "GeleverdVolume", prestatie.volume)
    writer.add(element, "Eenheid", prestatie.unit)
    writer.add(element, "ProductTarief", prestatie.tariff_cents)
    write_amount(writer, element, "IngediendBedrag", prestatie.amount_cents, prestatie.debit_credit, total=False)
    if retourcodes is not None:
        writer.retourcodes(element, retourcodes)
    return element
