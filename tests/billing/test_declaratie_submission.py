"""submit_declaratie as a whole: idempotent per identification, a half-bad declaratie decided line
by line, nothing half-written on an exception, one audit event, a fixed number of queries."""

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from audit.models import AuditEvent
from billing import selectors, services
from billing.models import Declaratie, Prestatie
from tests.billing.declaraties import (
    IB1_MONTH_CENTS,
    billable_provider,
    credit_of,
    declaratie,
    ib1_assignment,
    line,
    submit,
)

pytestmark = pytest.mark.django_db


def test_resubmission_returns_the_first_outcome_and_changes_nothing(provider, assignment):
    message = declaratie(
        line(assignment), line(assignment, amount_cents=1, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    )
    first = submit(message, provider, identification="000000000017")
    events = AuditEvent.objects.count()
    again = submit(message, provider, identification="000000000017")
    assert again == first
    assert Declaratie.objects.count() == 1
    assert Prestatie.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_the_same_identification_of_another_provider_is_another_declaratie(provider, assignment):
    other = billable_provider()
    submit(declaratie(line(assignment)), provider, identification="000000000001")
    outcome = submit(declaratie(line(ib1_assignment(other))), other, identification="000000000001")
    assert outcome.decisions[0].accepted
    assert Declaratie.objects.count() == 2


def test_a_half_bad_declaratie_accepts_the_good_lines_and_rejects_the_bad(provider, assignment):
    second = ib1_assignment(provider)
    good = line(assignment)
    bad = line(second, amount_cents=IB1_MONTH_CENTS - 5)
    good_too = line(second, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    outcome = submit(declaratie(good, bad, good_too), provider)
    assert [d.accepted for d in outcome.decisions] == [True, False, True]
    assert outcome.decisions[1].codes == ("9346",)
    assert outcome.submitted_cents == 3 * IB1_MONTH_CENTS - 5
    assert outcome.granted_cents == 2 * IB1_MONTH_CENTS
    stored = Declaratie.objects.get()
    assert stored.status == Declaratie.Status.PARTLY_ACCEPTED
    assert list(stored.prestaties.values_list("accepted", flat=True)) == [True, False, True]
    assert selectors.paid_cents(provider=provider) == 2 * IB1_MONTH_CENTS


def test_nothing_is_half_written_when_the_audit_fails(provider, assignment):
    with mock.patch.object(services, "record_event", side_effect=RuntimeError("audit down")):
        with pytest.raises(RuntimeError):
            submit(declaratie(line(assignment)), provider)
    assert not Declaratie.objects.exists()
    assert not Prestatie.objects.exists()


def test_a_race_on_the_identification_answers_with_the_stored_outcome(provider, assignment):
    message = declaratie(line(assignment))
    first = submit(message, provider, identification="X1")
    real = services._submit

    def lost_race(*args, **kwargs):
        raise IntegrityError("declaratie_identification_unique")

    with mock.patch.object(services, "_submit", side_effect=lost_race):
        assert submit(message, provider, identification="X1") == first
    assert services._submit is real


def test_one_audit_event_per_declaratie_not_per_line(provider, assignment):
    lines = [line(assignment)] + [line(ib1_assignment(provider)) for _ in range(4)]
    before = AuditEvent.objects.filter(object_type="billing.declaratie").count()
    submit(declaratie(*lines), provider)
    assert AuditEvent.objects.filter(object_type="billing.declaratie").count() == before + 1
    assert not AuditEvent.objects.filter(object_type="billing.prestatie").exists()


def test_a_credit_after_acceptance_changes_the_paid_total_exactly_once(provider, assignment):
    debit = line(assignment)
    submit(declaratie(debit), provider)
    assert selectors.paid_cents(provider=provider) == IB1_MONTH_CENTS
    credit = declaratie(credit_of(debit), period=(date(2026, 11, 1), date(2026, 11, 30)))
    outcome = submit(credit, provider, today=date(2026, 12, 2))
    assert outcome.granted_cents == -IB1_MONTH_CENTS
    assert selectors.paid_cents(provider=provider) == 0
    # The same credit again (resubmitted, or in a new declaratie) changes nothing more.
    submit(credit, provider, today=date(2026, 12, 2))
    again = submit(
        declaratie(credit_of(debit), period=(date(2026, 11, 1), date(2026, 11, 30))), provider, today=date(2026, 12, 2)
    )
    assert again.decisions[0].codes == ("9390",)
    assert selectors.paid_cents(provider=provider) == 0
    assert selectors.paid_cents(provider=provider, month=date(2026, 10, 1)) == IB1_MONTH_CENTS
    assert selectors.paid_cents(provider=provider, month=date(2026, 11, 1)) == -IB1_MONTH_CENTS


def test_the_checks_run_a_fixed_number_of_queries_whatever_the_number_of_lines(provider, django_assert_max_num_queries):
    few = [line(ib1_assignment(provider)) for _ in range(2)]
    many = [line(ib1_assignment(provider)) for _ in range(30)]
    with django_assert_max_num_queries(16) as few_queries:
        submit(declaratie(*few), provider)
    with django_assert_max_num_queries(16) as many_queries:
        outcome = submit(declaratie(*many), provider)
    assert all(d.accepted for d in outcome.decisions)
    assert len(many_queries.captured_queries) == len(few_queries.captured_queries)


def test_a_line_no_rule_can_judge_is_refused_and_nothing_is_stored(provider, assignment):
    backwards = line(assignment, period_start=date(2026, 10, 31), period_end=date(2026, 10, 1))
    with pytest.raises(ValidationError) as error:
        submit(declaratie(line(assignment), backwards), provider)
    assert "Prestatie 2 is ongeldig van vorm." in error.value.messages
    assert not Declaratie.objects.exists()
