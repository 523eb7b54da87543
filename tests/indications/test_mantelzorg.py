"""Mantelzorg in the onderzoek (art. 2.3.2 Wmo 2015, seed 004): each mantelzorger is recorded with
what they do, their hours and load and what was offered to them; a mantelzorger at risk of overload
asks the result "voorkomen van overbelasting" (seed 002) in the indication or a motivation, and a
note when the onderzoek is concluded without respijtzorg or ondersteuning offered."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from indications import privacy, services
from indications.models import ComplexityRule, IbSubResult, Indication, IndicationResult, Mantelzorger
from tests.factories import (
    MantelzorgerFactory,
    MeldingFactory,
    build_case_file,
    result_in,
)

pytestmark = pytest.mark.django_db

L = Mantelzorger.Load
TYPED = {
    "name": "Joke",
    "relation": "partner",
    "tasks": ["huishouden", "persoonlijke_verzorging"],
    "tasks_notes": "",
    "hours_per_week": 30,
    "load": L.OVERLOADED,
    "lives_with_client": True,
    "respite_offered": False,
    "support_offered": False,
    "notes": "Slaapt slecht, kan het niet meer volhouden.",
}


@pytest.fixture
def intake(consultant):
    return MeldingFactory(consultant=consultant, received_on=timezone.localdate() - timedelta(days=5)).intake


def events_of(obj, action):
    return AuditEvent.objects.filter(object_type="indications.mantelzorger", object_id=str(obj.pk), action=action)


# -- the service ---------------------------------------------------------------------------------


def test_a_mantelzorger_is_recorded_in_the_onderzoek_with_an_audit_event(intake, consultant):
    mantelzorger = services.add_mantelzorger(intake, by=consultant, **TYPED)
    assert mantelzorger.intake == intake and mantelzorger.recorded_by == consultant
    assert mantelzorger.get_tasks_display() == "huishouden, persoonlijke verzorging"
    event = events_of(mantelzorger, AuditEvent.Action.CREATE).get()
    assert event.client_id == intake.melding.client_id and event.actor == consultant
    assert event.changes == {"relation": "partner", "hours_per_week": "30", "load": "overbelast"}


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"hours_per_week": 169}, "hours_per_week"),
        ({"hours_per_week": -1}, "hours_per_week"),
        ({"hours_per_week": None}, "hours_per_week"),
        ({"tasks": ["koken op maandag"]}, "tasks"),
        ({"tasks": ["anders"], "tasks_notes": " "}, "tasks_notes"),
        ({"tasks": [], "tasks_notes": ""}, "tasks"),
        ({"relation": "collega"}, "relation"),
        ({"load": "een beetje"}, "load"),
    ],
)
def test_bad_input_is_a_dutch_error_at_its_field_and_nothing_is_written(intake, consultant, typed, field):
    with pytest.raises(ValidationError) as failure:
        services.add_mantelzorger(intake, by=consultant, **{**TYPED, **typed})
    assert field in failure.value.message_dict
    assert not Mantelzorger.objects.exists()
    assert not AuditEvent.objects.filter(object_type="indications.mantelzorger").exists()


def test_the_hours_of_a_whole_week_are_allowed(intake, consultant):
    assert services.add_mantelzorger(intake, by=consultant, **{**TYPED, "hours_per_week": 168}).hours_per_week == 168
    assert services.add_mantelzorger(intake, by=consultant, **{**TYPED, "hours_per_week": 0}).hours_per_week == 0


def test_a_mantelzorger_is_changed_and_removed_with_the_audit_trail_keeping_what_was_recorded(intake, consultant):
    mantelzorger = services.add_mantelzorger(intake, by=consultant, **TYPED)
    services.update_mantelzorger(mantelzorger, by=consultant, respite_offered=True, hours_per_week=25)
    mantelzorger.refresh_from_db()
    assert mantelzorger.respite_offered and mantelzorger.hours_per_week == 25
    assert events_of(mantelzorger, AuditEvent.Action.UPDATE).get().changes == {
        "hours_per_week": [30, 25],
        "respite_offered": [False, True],
    }
    pk = mantelzorger.pk
    services.remove_mantelzorger(mantelzorger, by=consultant)
    assert not Mantelzorger.objects.filter(pk=pk).exists()
    removed = AuditEvent.objects.get(object_type="indications.mantelzorger", object_id=str(pk), action="delete")
    assert removed.changes["name"] == "Joke" and removed.changes["load"] == "overbelast"


def test_an_update_with_bad_hours_leaves_the_record_as_it_was(intake, consultant):
    mantelzorger = services.add_mantelzorger(intake, by=consultant, **TYPED)
    with pytest.raises(ValidationError) as failure:
        services.update_mantelzorger(mantelzorger, by=consultant, hours_per_week=200)
    assert "hours_per_week" in failure.value.message_dict
    mantelzorger.refresh_from_db()
    assert mantelzorger.hours_per_week == 30
    assert not events_of(mantelzorger, AuditEvent.Action.UPDATE).exists()


def test_a_concluded_onderzoek_takes_no_mantelzorger_changes(consultant):
    mantelzorger = MantelzorgerFactory(intake__maatwerk=True)
    with pytest.raises(ValidationError, match="al afgerond"):
        services.add_mantelzorger(mantelzorger.intake, by=consultant, **TYPED)
    with pytest.raises(ValidationError, match="al afgerond"):
        services.update_mantelzorger(mantelzorger, by=consultant, hours_per_week=2)
    with pytest.raises(ValidationError, match="al afgerond"):
        services.remove_mantelzorger(mantelzorger, by=consultant)
    assert Mantelzorger.objects.get(pk=mantelzorger.pk).hours_per_week == 20


# -- at risk of overload -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "hours", "at_risk"),
    [
        (L.OVERLOADED, 2, True),
        (L.HEAVY, 8, True),
        (L.HEAVY, 7, False),
        (L.SOMEWHAT, 60, False),
        (L.NONE, 168, False),
    ],
)
def test_at_risk_of_overload_is_overbelast_or_zwaar_belast_with_intensive_hours(load, hours, at_risk):
    mantelzorger = MantelzorgerFactory(load=load, hours_per_week=hours)
    assert mantelzorger.is_overloaded is at_risk
    assert Mantelzorger.objects.filter(Mantelzorger.overloaded_q(), pk=mantelzorger.pk).exists() is at_risk


def test_the_intensive_hours_are_a_setting(settings):
    mantelzorger = MantelzorgerFactory(load=L.HEAVY, hours_per_week=12)
    settings.SDD = {**settings.SDD, "MANTELZORG_INTENSIVE_HOURS": 16}
    assert not mantelzorger.is_overloaded
    assert not Mantelzorger.objects.filter(Mantelzorger.overloaded_q()).exists()


# -- concluding the onderzoek (art. 2.3.2 lid 4) -------------------------------------------------


def conclude(intake, consultant, **extra):
    return services.conclude_intake(
        intake,
        by=consultant,
        conclusion="eigen_kracht",
        concluded_on=timezone.localdate(),
        report="Verslag.",
        no_conversation_reason="Telefonisch afgehandeld.",
        **extra,
    )


def test_concluding_with_an_overloaded_mantelzorger_without_respite_or_support_asks_a_note(intake, consultant):
    services.add_mantelzorger(intake, by=consultant, **TYPED)
    with pytest.raises(ValidationError) as failure:
        conclude(intake, consultant)
    assert "Joke (partner)" in failure.value.message_dict["mantelzorg_notes"][0]
    intake.refresh_from_db()
    assert not intake.is_concluded
    concluded = conclude(intake, consultant, mantelzorg_notes="Mantelzorger wil (nog) geen respijtzorg.")
    assert concluded.is_concluded and concluded.mantelzorg_notes.startswith("Mantelzorger wil")


@pytest.mark.parametrize("offered", ["respite_offered", "support_offered"])
def test_respite_or_support_offered_needs_no_note(intake, consultant, offered):
    services.add_mantelzorger(intake, by=consultant, **{**TYPED, offered: True})
    assert conclude(intake, consultant).is_concluded


def test_a_mantelzorger_not_at_risk_needs_no_note(intake, consultant):
    services.add_mantelzorger(intake, by=consultant, **{**TYPED, "load": L.SOMEWHAT})
    assert conclude(intake, consultant).is_concluded


# -- the IB rule -----------------------------------------------------------------------------------


def overload_sub_result() -> IbSubResult:
    return IbSubResult.objects.get(prevents_network_overload=True)


def test_the_reference_data_flags_the_sub_result_of_seed_002():
    sub_result = overload_sub_result()
    assert sub_result.name == "Voorkomt overbelasting van het netwerk (ook: de mantelzorger leren)"
    assert sub_result.result == result_in("sociaal-netwerk")


def rule_codes(indication: Indication) -> set[str]:
    return {error.code for error in services.check_ib_rules(indication, today=timezone.localdate())}


@pytest.fixture
def overloaded_case(consultant):
    case = build_case_file(consultant=consultant, melding_on=timezone.localdate() - timedelta(days=30))
    MantelzorgerFactory(intake=case.intake, overbelast=True)
    return case


def test_an_overloaded_mantelzorger_asks_the_result_voorkomen_van_overbelasting(overloaded_case):
    indication = overloaded_case.indication
    assert "mantelzorger_overloaded" in rule_codes(indication)
    error = next(
        e
        for e in services.check_ib_rules(indication, today=timezone.localdate())
        if e.code == "mantelzorger_overloaded"
    )
    assert error.params["field"] == "mantelzorg_motivation"
    assert "Voorkomt overbelasting van het netwerk" in error.messages[0]
    # The sociaal-netwerk result with the sub-result answers it.
    IndicationResult.objects.get(indication=indication, result=result_in("sociaal-netwerk")).sub_results.add(
        overload_sub_result()
    )
    assert "mantelzorger_overloaded" not in rule_codes(indication)


def test_a_motivation_answers_the_rule_too(overloaded_case):
    indication = overloaded_case.indication
    indication.mantelzorg_motivation = "De mantelzorger krijgt respijtzorg via het steunpunt."
    indication.save()
    assert "mantelzorger_overloaded" not in rule_codes(indication)


def test_without_an_overloaded_mantelzorger_the_rule_is_silent(consultant):
    case = build_case_file(consultant=consultant, melding_on=timezone.localdate() - timedelta(days=30))
    MantelzorgerFactory(intake=case.intake, load=L.HEAVY, hours_per_week=4)
    assert "mantelzorger_overloaded" not in rule_codes(case.indication)


def test_the_vaststelling_is_refused_while_the_rule_is_broken(overloaded_case):
    ComplexityRule.objects.update(is_active=False)
    indication = overloaded_case.indication
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(indication, by=indication.consultant)
    assert "mantelzorger_overloaded" in {error.code for error in failure.value.error_list}
    indication.refresh_from_db()
    assert indication.status == Indication.Status.CONCEPT and not indication.number


# -- the AVG export --------------------------------------------------------------------------------


def test_the_avg_export_holds_the_clients_mantelzorgers():
    mantelzorger = MantelzorgerFactory(notes="Zwaar belast sinds de val.")
    MantelzorgerFactory(name="Kees")  # of another client
    client = mantelzorger.intake.melding.client
    sheet = load_workbook(BytesIO(privacy.inzage_export(client)))["Mantelzorgers"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 1
    record = dict(zip(header, rows[0], strict=True))
    assert record["Naam"] == "Joke" and record["Relatie tot de cliënt"] == "partner"
    assert record["Uren per week"] == 20 and record["Toelichting"] == "Zwaar belast sinds de val."
