"""Registering a bezwaar: its deadlines stored, its audit, and the refusals with their field errors."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from objections.models import Bezwaar
from tests.factories import IndicationFactory


def _codes(error: ValidationError, field: str) -> list[str]:
    return [item.code for item in error.error_dict[field]]


def test_a_bezwaar_in_time_gets_its_awb_deadlines_and_an_audit_event(bezwaar, beschikking):
    assert bezwaar.letter_date == beschikking.decision_date
    assert bezwaar.bezwaartermijn_end == date(2026, 10, 19)  # Awb 6:7, 6:8
    assert bezwaar.filed_in_time
    assert bezwaar.decision_due == date(2026, 11, 30)  # Awb 7:10 lid 1
    assert bezwaar.status == Bezwaar.Status.OPEN
    event = AuditEvent.objects.get(object_type="objections.bezwaar", object_id=bezwaar.pk)
    assert event.action == AuditEvent.Action.CREATE and event.client_id == beschikking.client_id


def test_awb_7_10_lid_1_an_advisory_committee_gives_twelve_weeks(register):
    assert register(advisory_committee=True).decision_due == date(2027, 1, 11)


def test_awb_6_11_a_late_bezwaar_is_recorded_late_and_excusable_only_with_motivation(register):
    with pytest.raises(ValidationError) as refused:
        register(received_on=date(2026, 10, 21), late_excusable=True)
    assert _codes(refused.value, "late_motivation") == ["required"]
    late = register(
        received_on=date(2026, 10, 21), late_excusable=True, late_motivation="Cliënt lag in het ziekenhuis."
    )
    assert not late.filed_in_time and late.late_excusable


def test_awb_6_11_excusing_a_bezwaar_in_time_is_refused(register):
    with pytest.raises(ValidationError) as refused:
        register(late_excusable=True, late_motivation="Niets.")
    assert _codes(refused.value, "late_excusable") == ["not_late"]


def test_a_representative_needs_a_name_and_the_bezwaar_needs_grounds(register):
    with pytest.raises(ValidationError) as refused:
        register(filed_by=Bezwaar.FiledBy.REPRESENTATIVE, grounds="  ")
    assert _codes(refused.value, "representative_name") == ["required"]
    assert _codes(refused.value, "grounds") == ["required"]
    assert not Bezwaar.objects.exists()


def test_dates_before_the_letter_or_in_the_future_are_refused(register):
    with pytest.raises(ValidationError) as before:
        register(received_on=date(2026, 9, 1))
    assert _codes(before.value, "received_on") == ["before_letter"]
    with pytest.raises(ValidationError) as future:
        register(received_on=date(2026, 12, 1))
    assert _codes(future.value, "received_on") == ["future"]


def test_a_hearing_date_needs_a_hearing(register):
    with pytest.raises(ValidationError) as refused:
        register(hearing_on=date(2026, 11, 1))
    assert _codes(refused.value, "hearing_on") == ["no_hearing"]


def test_no_bezwaar_against_an_undecided_indication(register, consultant):
    concept = IndicationFactory(consultant=consultant)
    with pytest.raises(ValidationError) as refused:
        register(beschikking=concept)
    assert _codes(refused.value, "beschikking") == ["undecided"]


def test_one_open_bezwaar_per_beschikking(bezwaar, register):
    with pytest.raises(ValidationError) as refused:
        register()
    assert _codes(refused.value, "beschikking") == ["already_open"]
