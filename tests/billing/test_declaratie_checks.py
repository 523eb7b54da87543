"""One test per rule a prestatie of a declaratie must meet, named after the technical rule, each
asserting the exact WJ001 retourcode (docs/billing.md) on hand-made data."""

from datetime import date

import pytest

from billing.models import ContractTariff, Declaratie, Prestatie
from billing.types import CREDIT
from providers.models import Assignment
from tests.billing.declaraties import (
    IB1_MONTH_CENTS,
    billable_provider,
    credit_of,
    declaratie,
    ib1_assignment,
    line,
    submit,
)
from tests.factories import TODAY, ClientFactory, get_product

pytestmark = pytest.mark.django_db


def codes_of(outcome, index=0):
    return outcome.decisions[index].codes


def test_a_correct_line_is_accepted_with_0200(provider, assignment):
    outcome = submit(declaratie(line(assignment)), provider)
    assert outcome.declaratie_codes == ()
    assert outcome.decisions[0].accepted
    assert codes_of(outcome) == ("0200",)
    assert outcome.granted_cents == outcome.submitted_cents == IB1_MONTH_CENTS


def test_iwmo_toewijzingnummer_as_an_integer_finds_the_stored_number(provider):
    assignment = ib1_assignment(provider, number="0000004242")
    outcome = submit(declaratie(line(assignment, assignment_number="4242")), provider)
    assert codes_of(outcome) == ("0200",)
    assert Prestatie.objects.get().assignment == assignment


def test_tr304_unknown_bsn_8187_on_the_line_and_the_client(provider, assignment):
    outcome = submit(declaratie(line(assignment, bsn="999999990")), provider)
    assert codes_of(outcome) == ("8187",)
    assert outcome.client_codes == {"999999990": ("8187",)}


def test_tr304_bsn_of_another_client_than_the_toewijzing_8187(provider, assignment):
    other = ClientFactory()
    outcome = submit(declaratie(line(assignment, bsn=other.bsn)), provider)
    assert codes_of(outcome) == ("8187",)


def test_tr338_unknown_toewijzing_9338(provider, assignment):
    outcome = submit(declaratie(line(assignment, assignment_number="9999999999")), provider)
    assert codes_of(outcome) == ("9338",)


def test_tr338_toewijzing_of_another_provider_9338(provider):
    foreign = ib1_assignment(billable_provider())
    outcome = submit(declaratie(line(foreign)), provider)
    assert codes_of(outcome) == ("9338",)


def test_tr339_productcategorie_differs_9339(provider, assignment):
    outcome = submit(declaratie(line(assignment, product_category="01")), provider)
    assert codes_of(outcome) == ("9339",)


def test_tr340_productcode_differs_9340(provider, assignment):
    outcome = submit(declaratie(line(assignment, product_code="02A07")), provider)
    assert codes_of(outcome) == ("9340",)


def test_tr341_eenheid_differs_9341(provider, assignment):
    ContractTariff.objects.create(
        contract=provider.contracts.get(),
        product=assignment.product,
        unit="04",
        valid_from=date(2016, 1, 1),
        price_cents=IB1_MONTH_CENTS,
    )
    outcome = submit(declaratie(line(assignment, unit="04")), provider)
    assert codes_of(outcome) == ("9341",)


def test_tr319_product_period_over_two_months_9319(provider, assignment):
    outcome = submit(
        declaratie(line(assignment, period_start=date(2026, 10, 1), period_end=date(2026, 11, 30))), provider
    )
    assert "9319" in codes_of(outcome)
    assert not outcome.decisions[0].accepted


def test_tr319_product_period_after_the_declaratieperiode_9319(provider, assignment):
    november = line(assignment, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30))
    outcome = submit(declaratie(november), provider)
    assert codes_of(outcome) == ("9319",)


def test_tr319_an_earlier_month_may_be_billed_in_a_later_declaratie(provider, assignment):
    september = line(assignment, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    outcome = submit(declaratie(september), provider)
    assert codes_of(outcome) == ("0200",)


def test_tr307_begin_before_the_toewijzing_9307(provider):
    assignment = ib1_assignment(provider, start=date(2026, 10, 1))
    september = line(assignment, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    outcome = submit(declaratie(september), provider)
    assert codes_of(outcome) == ("9307", "9308")  # the whole of September lies before it


def test_tr308_end_after_the_toewijzing_9308(provider):
    assignment = ib1_assignment(provider, start=date(2026, 9, 1), end=date(2026, 10, 20))
    outcome = submit(declaratie(line(assignment)), provider)
    assert codes_of(outcome) == ("9308", "9388")


def test_tr387_begin_not_on_the_first_9387(provider, assignment):
    outcome = submit(declaratie(line(assignment, period_start=date(2026, 10, 5))), provider)
    assert codes_of(outcome) == ("9387",)


def test_tr387_begin_on_the_toewijzings_start_in_the_month_is_right(provider):
    assignment = ib1_assignment(provider, start=date(2026, 10, 5))
    outcome = submit(declaratie(line(assignment, period_start=date(2026, 10, 5))), provider)
    assert codes_of(outcome) == ("0200",)


def test_tr388_end_not_on_the_last_day_9388(provider, assignment):
    outcome = submit(declaratie(line(assignment, period_end=date(2026, 10, 30))), provider)
    assert codes_of(outcome) == ("9388",)


def test_tr388_end_on_the_toewijzings_end_in_the_month_is_right(provider):
    assignment = ib1_assignment(provider, end=date(2026, 10, 20))
    outcome = submit(declaratie(line(assignment, period_end=date(2026, 10, 20))), provider)
    assert codes_of(outcome) == ("0200",)


def test_tr321_volume_above_the_toewijzing_9321(provider, assignment):
    outcome = submit(declaratie(line(assignment, volume=2, amount_cents=2 * IB1_MONTH_CENTS)), provider)
    assert codes_of(outcome) == ("9321",)  # twelve months assigned: the sum still fits


def test_tr322_sum_of_volumes_above_the_toewijzing_9322(provider):
    # Two months assigned (September and October), already billed: a third line exceeds the sum.
    assignment = ib1_assignment(provider, start=date(2026, 9, 1), end=date(2026, 10, 31))
    september = line(assignment, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    assert submit(declaratie(september, line(assignment)), provider).granted_cents == 2 * IB1_MONTH_CENTS
    first_credit = credit_of(september)
    # A credit gives the volume back, so a new debit for September then fits again.
    again = line(assignment, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    outcome = submit(declaratie(again), provider)
    assert codes_of(outcome) == ("9322", "9389")
    outcome = submit(declaratie(first_credit, again), provider)
    assert [d.codes for d in outcome.decisions] == [("0200",), ("0200",)]


def test_tr346_amount_not_volume_times_tariff_9346(provider, assignment):
    outcome = submit(declaratie(line(assignment, amount_cents=IB1_MONTH_CENTS + 1)), provider)
    assert codes_of(outcome) == ("9346",)


def test_tr346_without_producttarief_the_contract_tariff_counts(provider, assignment):
    right = line(assignment, tariff_cents=None)
    wrong = line(
        assignment,
        tariff_cents=None,
        amount_cents=IB1_MONTH_CENTS - 1,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
    )
    outcome = submit(declaratie(right, wrong), provider)
    assert [d.codes for d in outcome.decisions] == [("0200",), ("9346",)]


def test_tr418_producttarief_not_the_contract_tariff_0611(provider, assignment):
    outcome = submit(declaratie(line(assignment, tariff_cents=40000, amount_cents=40000)), provider)
    assert codes_of(outcome) == ("0611",)


def test_tr418_no_contract_tariff_in_force_0611(provider, assignment):
    ContractTariff.objects.filter(contract__provider=provider).update(valid_to=date(2026, 9, 30))
    outcome = submit(declaratie(line(assignment)), provider)
    assert codes_of(outcome) == ("0611",)


def test_tr418_the_tariff_in_force_on_the_prestaties_date(provider, assignment):
    ContractTariff.objects.filter(contract__provider=provider, product=assignment.product).update(
        valid_to=date(2026, 9, 30)
    )
    ContractTariff.objects.create(
        contract=provider.contracts.get(),
        product=assignment.product,
        unit="82",
        valid_from=date(2026, 10, 1),
        price_cents=37000,
    )
    september = line(assignment, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    october = line(assignment, tariff_cents=37000, amount_cents=37000)
    old_price_in_october = line(assignment)
    outcome = submit(declaratie(september, october, old_price_in_october), provider)
    assert [d.codes for d in outcome.decisions] == [("0200",), ("0200",), ("0611", "9389")]


def test_opslag_of_the_beschikking_is_part_of_the_contract_tariff(provider):
    assignment = ib1_assignment(provider)
    assignment.indication.opslag = True
    assignment.indication.save(update_fields=["opslag"])
    with_opslag = IB1_MONTH_CENTS + 11965
    outcome = submit(declaratie(line(assignment, tariff_cents=with_opslag, amount_cents=with_opslag)), provider)
    assert codes_of(outcome) == ("0200",)


def test_tr314_reference_accepted_before_8021(provider, assignment):
    first = line(assignment)
    submit(declaratie(first), provider)
    september = line(assignment, reference=first.reference, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    outcome = submit(declaratie(september), provider)
    assert codes_of(outcome) == ("8021",)


def test_tr314_reference_twice_in_one_message_8021(provider, assignment):
    first = line(assignment)
    september = line(assignment, reference=first.reference, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    outcome = submit(declaratie(first, september), provider)
    assert [d.codes for d in outcome.decisions] == [("0200",), ("8021",)]


def test_tr333_declaratienummer_used_before_9333_rejects_the_whole(provider, assignment):
    first = declaratie(line(assignment))
    submit(first, provider)
    september = line(assignment, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    outcome = submit(declaratie(september, number=first.number), provider, identification="other")
    assert outcome.declaratie_codes == ("9333",)
    assert codes_of(outcome) == ("0233",)
    assert outcome.granted_cents == 0
    assert Declaratie.objects.get(identification="other").status == Declaratie.Status.REJECTED


def test_tr358_total_not_the_sum_of_the_lines_0001_rejects_the_whole(provider, assignment):
    outcome = submit(declaratie(line(assignment), total_cents=IB1_MONTH_CENTS + 100), provider)
    assert outcome.declaratie_codes == ("0001",)
    assert not outcome.decisions[0].accepted
    assert not Prestatie.objects.filter(accepted=True).exists()


def test_declaratieperiode_not_one_calendar_month_0001(provider, assignment):
    outcome = submit(declaratie(line(assignment), period=(date(2026, 10, 1), date(2026, 11, 30))), provider)
    assert outcome.declaratie_codes == ("0001",)


def test_tr135_dagtekening_in_the_future_8848(provider, assignment):
    outcome = submit(declaratie(line(assignment), dagtekening=date(2026, 11, 24)), provider, today=TODAY)
    assert outcome.declaratie_codes == ("8848",)


def test_tr323_credit_without_an_accepted_debit_8017(provider, assignment):
    never_sent = line(assignment)
    outcome = submit(declaratie(credit_of(never_sent)), provider)
    assert codes_of(outcome) == ("8017",)


def test_tr323_credit_of_a_rejected_debit_8017(provider, assignment):
    rejected = line(assignment, amount_cents=1)
    assert not submit(declaratie(rejected), provider).decisions[0].accepted
    outcome = submit(declaratie(credit_of(rejected)), provider)
    assert codes_of(outcome) == ("8017",)


def test_tr323_credit_with_another_amount_8017(provider, assignment):
    debit = line(assignment)
    submit(declaratie(debit), provider)
    outcome = submit(declaratie(credit_of(debit, amount_cents=100, tariff_cents=100)), provider)
    assert codes_of(outcome) == ("8017",)


def test_tr316_credit_of_a_debit_in_the_same_message_8017(provider, assignment):
    debit = line(assignment)
    outcome = submit(declaratie(debit, credit_of(debit)), provider)
    assert [d.codes for d in outcome.decisions] == [("0200",), ("8017",)]


def test_tr390_second_credit_of_the_same_debit_9390(provider, assignment):
    debit = line(assignment)
    submit(declaratie(debit), provider)
    assert codes_of(submit(declaratie(credit_of(debit)), provider)) == ("0200",)
    outcome = submit(declaratie(credit_of(debit)), provider)
    assert codes_of(outcome) == ("9390",)


def test_tr389_second_debit_for_the_same_month_9389(provider, assignment):
    submit(declaratie(line(assignment)), provider)
    outcome = submit(declaratie(line(assignment)), provider)
    assert codes_of(outcome) == ("9389",)


def test_tr389_a_new_debit_after_the_credit_is_accepted(provider, assignment):
    debit = line(assignment)
    submit(declaratie(debit), provider)
    outcome = submit(declaratie(credit_of(debit), line(assignment)), provider)
    assert [d.codes for d in outcome.decisions] == [("0200",), ("0200",)]


def test_tr384_toewijzing_verwijderd_9384(provider):
    assignment = ib1_assignment(provider, start=date(2026, 10, 1), end=date(2026, 10, 31))
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.WITHDRAWN, change_reason="13")
    outcome = submit(declaratie(line(assignment)), provider)
    assert codes_of(outcome) == ("9384",)


def test_a_credit_is_stored_with_the_debit_it_cancels(provider, assignment):
    debit = line(assignment)
    submit(declaratie(debit), provider)
    submit(declaratie(credit_of(debit)), provider)
    credit = Prestatie.objects.get(debit_credit=CREDIT)
    assert credit.cancels == Prestatie.objects.get(reference=debit.reference)


def test_every_emitted_code_is_in_the_reference_list(provider, assignment):
    from iwmo.codes import RETOURCODE_LABEL

    outcome = submit(declaratie(line(assignment, bsn="999999990", amount_cents=5, product_category="01")), provider)
    assert outcome.decisions[0].codes
    assert all(code in RETOURCODE_LABEL for code in outcome.decisions[0].codes)
    assert get_product("IB1").iwmo_code == "02A06"


def test_tr318_a_declaratieperiode_before_the_previous_one_8214(provider, assignment):
    """TR318 (8214): a declaratie for a period before the provider's previous judged
    declaratieperiode to this municipality is rejected as a whole (its lines not judged, TR342); a
    second one for the same month and the next month are right; a declaratie rejected as a whole
    does not count as the previous one."""
    november = (date(2026, 11, 1), date(2026, 11, 30))
    december = (date(2026, 12, 1), date(2026, 12, 31))
    today = date(2027, 1, 10)
    assert submit(declaratie(line(assignment), period=november), provider, today=today).declaratie_codes == ()

    earlier = submit(declaratie(line(assignment, reference="TR318-2")), provider, today=today)  # October
    same = submit(declaratie(line(assignment, reference="TR318-1"), period=november), provider, today=today)

    assert earlier.declaratie_codes == ("8214",)
    assert all(decision.codes == ("0233",) for decision in earlier.decisions)
    assert same.declaratie_codes == ()
    future = declaratie(line(assignment, reference="TR318-3"), period=december, dagtekening=date(2027, 2, 1))
    assert submit(future, provider, today=today).declaratie_codes == ("8848",)  # rejected as a whole ...
    # ... so it is not the previous declaratieperiode: December is still right.
    later = submit(declaratie(line(assignment, reference="TR318-4"), period=december), provider, today=today)
    assert later.declaratie_codes == ()


def test_tr318_after_a_gap_the_next_month_with_care_is_right(provider, assignment):
    september = (date(2026, 9, 1), date(2026, 9, 30))
    september_line = line(assignment, period_start=september[0], period_end=september[1])
    assert submit(declaratie(september_line, period=september), provider).declaratie_codes == ()

    # No declaratie for a month in between is needed when no care was given: November follows.
    november = (date(2026, 11, 1), date(2026, 11, 30))
    outcome = submit(declaratie(line(assignment), period=november), provider, today=date(2026, 12, 5))

    assert outcome.declaratie_codes == ()
