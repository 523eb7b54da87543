"""The toewijzingnummer comes from one counter (providers.numbering) and is set on insert: never a
placeholder in the unique column, so concurrent vaststellingen do not wait on each other's row."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indications.services import issue_beschikking
from providers import numbering
from providers.models import Assignment
from tests.factories import TODAY, AssignmentFactory, IndicationFactory, ZrmAssessmentFactory

pytestmark = pytest.mark.django_db


def vastgesteld(provider, consultant) -> Assignment:
    client = ZrmAssessmentFactory(scores={"financien": 2}, assessed_on=TODAY - timedelta(days=10)).client
    indication = IndicationFactory(client=client, consultant=consultant, provider=provider)
    issue_beschikking(indication, by=consultant, today=TODAY)
    return Assignment.objects.get(indication=indication)


def test_the_number_is_set_on_insert(provider, consultant):
    with CaptureQueriesContext(connection) as queries:
        assignment = vastgesteld(provider, consultant)
    statements = [query["sql"] for query in queries.captured_queries]
    assert not any("pending" in sql for sql in statements)
    assert not any(sql.startswith('UPDATE "providers_assignment"') and '"number"' in sql for sql in statements)
    assert len(assignment.number) == 10 and assignment.number.isdigit()


def test_numbers_follow_each_other(provider, consultant):
    first, second = vastgesteld(provider, consultant), vastgesteld(provider, consultant)
    assert int(second.number) == int(first.number) + 1
    assert numbering.next_assignment_number() == f"{int(second.number) + 1:010d}"


def test_reserved_numbers_are_new_and_ascending():
    before = numbering.next_assignment_number()
    reserved = numbering.reserve_assignment_numbers(3)
    assert reserved == sorted(reserved) and len(set(reserved)) == 3 and min(reserved) > before
    assert numbering.next_assignment_number() > max(reserved)
    assert numbering.reserve_assignment_numbers(0) == []


def test_keep_numbers_ahead_of_numbers_written_elsewhere(provider, consultant):
    written = numbering.format_number(int(numbering.next_assignment_number()) + 500)
    AssignmentFactory(provider=provider, number=written)
    AssignmentFactory(provider=provider, number="TW-ANDERS-1")  # not all digits: no part of the counter
    numbering.keep_numbers_ahead()
    assert vastgesteld(provider, consultant).number == numbering.format_number(int(written) + 1)
    # Never back: a lower number written later does not move the counter down.
    AssignmentFactory(provider=provider, number="0000000007")
    numbering.keep_numbers_ahead()
    assert numbering.next_assignment_number() == numbering.format_number(int(written) + 2)
