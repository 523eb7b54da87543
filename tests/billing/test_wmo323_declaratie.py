"""WMO323: what the writer makes is read back as the same DeclaratieIn (and, with IWMO_XSD_DIR, is
valid against the official XSD); values the XSD refuses are a technical rejection; each in-message
condition gives its WJ001 code on its class (the rule code is in each test's name)."""

from dataclasses import replace
from datetime import date

import pytest
from lxml import etree

from billing import wmo323
from billing.types import CREDIT, DEBIT
from iwmo.xml import TechnicalError, parse_message, validate_bytes
from tests.billing.messages import BSN_A, BSN_B, SENT_ON, credit_of, declaratie, header, line, message


def read(raw: bytes) -> wmo323.Declaratiebericht:
    message_type, root = parse_message(raw, expected=("WMO323",))
    return wmo323.read(message_type, root)


def conditions(decl, *, dagtekening=SENT_ON, client_bsns=()):
    return wmo323.check_conditions(decl, dagtekening=dagtekening, client_bsns=client_bsns)


def prestatie_codes(found) -> dict[int, list[str]]:
    return {index: [code for code, _text in findings] for index, findings in found.prestaties.items()}


def test_round_trip_gives_the_same_declaratie(xsd_dir):
    decl = declaratie(
        line("RN001"),
        line("RN002", assignment_number="20075", unit="83", tariff_cents=None, volume=7300, amount_cents=7300),
        credit_of(line("RN000"), "RN004"),
        line("RN003", bsn=BSN_B, assignment_number="20074"),
    )
    raw = message(decl)
    validate_bytes("WMO323", raw)  # the official XSD when IWMO_XSD_DIR is set
    read_back = read(raw)
    assert read_back.declaratie == decl
    assert read_back.client_bsns == (BSN_A, BSN_B)
    assert read_back.header == header()
    assert conditions(decl).declaratie == [] and prestatie_codes(conditions(decl)) == {}


def test_one_client_element_per_bsn_in_order_of_first_appearance():
    decl = declaratie(line("RN001"), line("RN002", bsn=BSN_B), line("RN003"))
    root = etree.fromstring(message(decl))
    ns = {"m": "http://www.istandaarden.nl/iwmo/3_2/wmo323/schema"}
    assert [bsn.text for bsn in root.findall(".//m:Client/m:Bsn", ns)] == [BSN_A, BSN_B]
    assert [p.reference for p in read(message(decl)).declaratie.prestaties] == ["RN001", "RN003", "RN002"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"<wmo323:DeclaratieDagtekening>2026-05-06<", b"<wmo323:DeclaratieDagtekening>2026-02-30<"),
        (b"<iwmo:TotaalBedrag>34000<", b"<iwmo:TotaalBedrag>340.00<"),
        (b"<iwmo:DebetCredit>D</iwmo:DebetCredit>", b"<iwmo:DebetCredit>X</iwmo:DebetCredit>"),
        (b"<wmo323:Eenheid>82<", b"<wmo323:Eenheid>99<"),
        (b"<wmo323:GeleverdVolume>4<", b"<wmo323:GeleverdVolume>-4<"),
        (b"<wmo323:DeclaratieNummer>DN202604<", b"<wmo323:DeclaratieNummer>DN-2026/04<"),
        (b"<wmo323:ToewijzingNummer>20072<", b"<wmo323:ToewijzingNummer>1234567890<"),
    ],
    ids=["datum", "bedrag", "debetcredit", "eenheid-WJ756", "volume", "declaratienummer-CS319", "toewijzingnummer"],
)
def test_a_value_the_xsd_refuses_is_a_technical_rejection(old, new):
    raw = message()
    assert old in raw
    with pytest.raises(TechnicalError):
        read(raw.replace(old, new, 1))


def test_a_declaratie_without_clients_is_a_technical_rejection():
    raw = message()
    start, end = raw.index(b"<wmo323:Clienten>"), raw.index(b"</wmo323:Clienten>") + len(b"</wmo323:Clienten>")
    with pytest.raises(TechnicalError):
        read(raw[:start] + raw[end:])


# -- conditions on the Declaratie (0001 on the DeclaratieAntwoord) --------------------------------


def declaratie_rules(decl, **kwargs) -> list[str]:
    return [text for _code, text in conditions(decl, **kwargs).declaratie]


def test_CS340_the_declaratieperiode_is_one_calendar_month():
    assert any("CS340" in text for text in declaratie_rules(declaratie(period_end=date(2026, 4, 29))))
    assert any("CS340" in text for text in declaratie_rules(declaratie(period_start=date(2026, 4, 2))))
    may = declaratie(line(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31)))
    assert not declaratie_rules(replace(may, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31)))


def test_CS100_no_period_before_2021():
    old = declaratie(line(period_start=date(2020, 12, 1), period_end=date(2020, 12, 31)))
    old = replace(old, period_start=date(2020, 12, 1), period_end=date(2020, 12, 31))
    found = conditions(old)
    assert [code for code, text in found.declaratie if "CS100" in text] == ["0001"]
    assert any("CS100" in text for text in (t for _c, t in found.prestaties[0]))


def test_TR358_the_total_is_the_sum_of_the_lines_with_debit_and_credit():
    decl = declaratie(line("RN001", amount_cents=5000), credit_of(line("RN000", amount_cents=1200), "RN002"))
    assert decl.total_cents == 3800 and not declaratie_rules(decl)
    assert any("TR358" in text for text in declaratie_rules(replace(decl, total_cents=6200)))
    assert any("TR358" in text for text in declaratie_rules(replace(decl, total_debit_credit=CREDIT)))


def test_CS325_a_total_of_zero_is_debit():
    zero = declaratie(line("RN001", amount_cents=0, volume=0))
    assert not declaratie_rules(zero)
    assert any("CS325" in text for text in declaratie_rules(replace(zero, total_debit_credit=CREDIT)))


def test_TR134_the_declaratiedagtekening_not_after_the_message_dagtekening():
    assert any("TR134" in text for text in declaratie_rules(declaratie(dagtekening=date(2026, 5, 7))))


def test_TR137_the_declaratieperiode_ends_before_the_message_dagtekening():
    assert any("TR137" in text for text in declaratie_rules(declaratie(), dagtekening=date(2026, 4, 29)))


# -- conditions on a Client ----------------------------------------------------------------------


def test_CS002_a_bsn_that_fails_the_elfproef_rejects_the_client():
    decl = declaratie(line("RN001"), line("RN002", bsn="123456789"))
    found = conditions(decl)
    assert list(found.clients) == ["123456789"]
    assert "CS002" in found.clients["123456789"][0][1] and found.clients["123456789"][0][0] == "0001"
    assert not found.declaratie


def test_TR101_a_client_appears_once_in_the_message():
    found = conditions(declaratie(), client_bsns=(BSN_A, BSN_B, BSN_A))
    assert [(code, "TR101" in text) for code, text in found.clients[BSN_A]] == [("0001", True)]
    assert BSN_B not in found.clients


# -- conditions on a Prestatie ------------------------------------------------------------------


def one_line(**fields):
    decl = declaratie(line("RN001"), line("RN002", assignment_number="20073", **fields))
    return prestatie_codes(conditions(decl)), conditions(decl)


def texts(found, index=1) -> str:
    return " ".join(text for _code, text in found.prestaties[index])


def test_CS337_the_productperiode_lies_in_one_calendar_month():
    codes, found = one_line(period_start=date(2026, 3, 31), period_end=date(2026, 4, 30))
    assert codes == {1: ["0001"]} and "CS337" in texts(found)


def test_TR319_the_productperiode_not_after_the_declaratieperiode():
    codes, _found = one_line(period_start=date(2026, 5, 1), period_end=date(2026, 5, 5))
    assert codes == {1: ["9319"]}
    earlier, _ = one_line(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))  # a correction: allowed
    assert earlier == {}


def test_TR137_the_productperiode_ends_on_or_after_its_start_and_not_after_the_dagtekening():
    codes, found = one_line(period_start=date(2026, 4, 20), period_end=date(2026, 4, 10))
    assert codes == {1: ["0001"]} and "TR137" in texts(found)


def test_TR335_no_productperiode_ending_more_than_5_years_before_the_declaratiedagtekening():
    codes, found = one_line(period_start=date(2021, 4, 1), period_end=date(2021, 4, 30))
    assert codes == {1: ["0001"]} and "TR335" in texts(found)


def test_CD060_a_vorigreferentienummer_with_a_credit_line_only():
    codes, found = one_line(previous_reference="RN000")
    assert codes == {1: ["0001"]} and "CD060" in texts(found)
    codes, found = one_line(debit_credit=CREDIT)
    assert codes == {1: ["0001"]} and "CD060" in texts(found)


def test_CD087_a_producttarief_unless_the_unit_is_euros():
    codes, found = one_line(tariff_cents=None)
    assert codes == {1: ["0001"]} and "CD087" in texts(found)
    codes, found = one_line(unit="83", volume=5000, amount_cents=5000)  # euro's with a tariff
    assert codes == {1: ["0001"]} and "CD087" in texts(found)


def test_CS339_in_euros_the_amount_equals_the_volume():
    codes, found = one_line(unit="83", tariff_cents=None, volume=4999, amount_cents=5000)
    assert codes == {1: ["0001"]} and "CS339" in texts(found)


def test_CS325_an_amount_of_zero_is_debit():
    decl = declaratie(line("RN001"), credit_of(line("RN000", amount_cents=0, volume=0), "RN002"))
    found = conditions(decl)
    assert prestatie_codes(found) == {1: ["0001"]} and "CS325" in texts(found)


def test_TR314_the_referentienummer_is_unique_within_the_message():
    decl = declaratie(
        line("RN001"), line("RN001", assignment_number="20073"), line("RN002", bsn=BSN_B, assignment_number="20074")
    )
    assert prestatie_codes(conditions(decl)) == {0: ["8021"], 1: ["8021"]}


def test_TR315_a_vorigreferentienummer_once_in_the_message():
    decl = declaratie(credit_of(line("RN000"), "RN001"), credit_of(line("RN000"), "RN002"))
    found = conditions(decl)
    assert prestatie_codes(found) == {0: ["0001"], 1: ["0001"]} and "TR315" in texts(found, 0)


def test_TR316_a_debit_line_is_not_credited_in_the_same_message():
    debit = line("RN001")
    decl = declaratie(debit, credit_of(debit, "RN002"))
    found = conditions(decl)
    assert prestatie_codes(found) == {1: ["0001"]} and "TR316" in texts(found)


def test_TR416_one_debit_line_per_toewijzing_product_and_period_in_the_message():
    decl = declaratie(line("RN001"), line("RN002"), line("RN003", assignment_number="20073"))
    found = conditions(decl)
    assert prestatie_codes(found) == {1: ["0001"]} and "TR416" in texts(found)


def test_a_correct_credit_line_passes():
    decl = declaratie(line("RN001"), credit_of(line("RN000", debit_credit=DEBIT), "RN002"))
    assert prestatie_codes(conditions(decl)) == {}
