"""WMO325: the answer lists only the rejected prestaties (TR342) of the clients that have them, the
totals with D/C, the codes per class; read back it says the same (and, with IWMO_XSD_DIR, it is
valid against the official XSD)."""

from datetime import date

from lxml import etree

from billing import wmo325
from billing.types import DeclaratieOutcome, PrestatieDecision
from iwmo.xml import validate_bytes
from tests.billing.messages import BSN_A, BSN_B, credit_of, declaratie, header, line

TODAY = date(2026, 5, 8)


def build(decl, outcome, header_codes=("0200",)):
    raw = wmo325.build(
        header(),
        identification="000000000042",
        dagtekening=TODAY,
        header_codes=header_codes,
        declaratie=decl,
        outcome=outcome,
    )
    validate_bytes("WMO325", raw)  # the official XSD when IWMO_XSD_DIR is set
    return raw


def test_a_partly_granted_declaratie_lists_only_its_rejected_prestaties(xsd_dir):
    decl = declaratie()  # RN001 5000 (A), RN002 24000 (A), RN003 5000 (B)
    outcome = DeclaratieOutcome(
        declaratie_codes=(),
        decisions=(
            PrestatieDecision(0, True, ("0200",)),
            PrestatieDecision(1, False, ("9340", "0611")),
            PrestatieDecision(2, True, ("0200",)),
        ),
        submitted_cents=34000,
        granted_cents=10000,
    )
    answer = wmo325.read(build(decl, outcome))
    assert answer.header.message_type == "WMO325"
    assert (answer.header.sender, answer.header.receiver) == ("0505", "12345678")
    assert (answer.header.identification, answer.header.dagtekening) == ("000000000042", TODAY)
    assert (answer.declaratie_identification, answer.declaratie_dagtekening) == ("D00000000001", date(2026, 5, 6))
    assert answer.header_codes == ("0200",) and answer.declaratie_codes == ("0200",)
    assert (answer.number, answer.submitted_cents, answer.granted_cents) == ("DN202604", 34000, 10000)
    assert [(r.prestatie, r.codes) for r in answer.rejected] == [(decl.prestaties[1], ("9340", "0611"))]
    assert answer.client_codes == {BSN_A: ("0200",)}  # client B had nothing rejected: not listed
    # TR342: what is listed explains the difference between submitted and granted
    assert sum(r.prestatie.signed_cents for r in answer.rejected) == answer.submitted_cents - answer.granted_cents


def test_a_fully_granted_declaratie_has_no_clienten(xsd_dir):
    decl = declaratie()
    decisions = tuple(PrestatieDecision(i, True, ("0200",)) for i in range(3))
    raw = build(decl, DeclaratieOutcome((), decisions, submitted_cents=34000, granted_cents=34000))
    assert b"Clienten" not in raw
    answer = wmo325.read(raw)
    assert answer.rejected == () and answer.granted_cents == 34000 and answer.declaratie_codes == ("0200",)


def test_a_declaratie_rejected_as_a_whole_lists_no_prestatie_and_grants_nothing(xsd_dir):
    decl = declaratie()
    outcome = DeclaratieOutcome(("9333",), (PrestatieDecision(0, True, ("0200",)),), granted_cents=5000)
    answer = wmo325.read(build(decl, outcome))
    assert answer.declaratie_codes == ("9333",)
    assert answer.rejected == () and answer.granted_cents == 0 and answer.submitted_cents == 34000


def test_client_codes_and_a_credit_granted_total(xsd_dir):
    debit = line("RN000", amount_cents=9000)
    decl = declaratie(credit_of(debit, "RN001"), line("RN002", bsn=BSN_B, assignment_number="20074"))
    assert decl.signed_total_cents == -4000
    outcome = DeclaratieOutcome(
        (),
        (PrestatieDecision(0, True, ("0200",)), PrestatieDecision(1, False, ("0233",))),
        client_codes={BSN_B: ("8187",)},
        submitted_cents=-4000,
        granted_cents=-9000,
    )
    raw = build(decl, outcome)
    root = etree.fromstring(raw)
    ns = {
        "m": "http://www.istandaarden.nl/iwmo/3_2/wmo325/schema",
        "i": "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema",
    }
    assert root.findtext("m:DeclaratieAntwoord/m:TotaalIngediendBedrag/i:DebetCredit", namespaces=ns) == "C"
    assert root.findtext("m:DeclaratieAntwoord/m:TotaalToegekendBedrag/i:TotaalBedrag", namespaces=ns) == "9000"
    answer = wmo325.read(raw)
    assert answer.granted_cents == -9000 and answer.client_codes == {BSN_B: ("8187",)}
    assert [r.codes for r in answer.rejected] == [("0233",)]


def test_a_prestatie_without_a_decision_is_listed_as_not_judged():
    decl = declaratie()
    outcome = DeclaratieOutcome((), (PrestatieDecision(0, True), PrestatieDecision(2, True)), granted_cents=10000)
    answer = wmo325.read(build(decl, outcome))
    assert [(r.prestatie.reference, r.codes) for r in answer.rejected] == [("RN002", ("0233",))]


def test_a_technical_rejection_carries_only_the_header(xsd_dir):
    raw = build(declaratie(), DeclaratieOutcome(()), header_codes=("9056",))
    assert b"DeclaratieAntwoord" not in raw
    answer = wmo325.read(raw)
    assert answer.header_codes == ("9056",) and answer.declaratie_identification == "D00000000001"
    assert answer.number == "" and answer.rejected == ()


def test_the_xsd_versions_of_the_declaratie_are_repeated_when_they_are_versions():
    odd = header()
    raw = wmo325.build(
        odd.__class__(**{**odd.__dict__, "bericht_xsd_versie": "1.0.1", "basisschema_xsd_versie": "x"}),
        identification="1",
        dagtekening=TODAY,
        header_codes=("0001",),
    )
    root = etree.fromstring(raw)
    ns = {
        "m": "http://www.istandaarden.nl/iwmo/3_2/wmo325/schema",
        "i": "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema",
    }
    assert root.findtext("m:Header/m:XsdVersieDeclaratie/i:BerichtXsdVersie", namespaces=ns) == "1.0.1"
    assert root.findtext("m:Header/m:XsdVersieDeclaratie/i:BasisschemaXsdVersie", namespaces=ns) == "1.0.0"
