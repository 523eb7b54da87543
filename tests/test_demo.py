"""The demo generator builds histories the services would accept, fills the worklist, and is idempotent."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.roles import FUNCTIONEEL_BEHEERDER
from billing import spending
from billing.models import ContractBudget, Declaratie, Prestatie
from demo import bulkload
from demo import generator as demo_generator
from demo import letters as demo_letters
from demo.api_example import api_example_assignment, api_example_works
from demo.figures import API_EXAMPLE_PROVIDER, DEMO_USERS
from demo.generator import DemoRandom, Generator, generate_demo, reset_demo_case_data
from demo.models import HeldBackDefinition
from demo.people import ensure_demo_providers, ensure_demo_teams
from demo.reference import load_reference
from demo.rows import ClientRow, MeldingRow, Rows
from demo.writer import WRITTEN, write_chunk
from indications import ib_rules, quality
from indications.decisions import derived_outcome
from indications.four_eyes import approve_indication, complexity_findings, submit_for_review
from indications.ib_rules import one_indication_errors
from indications.models import (
    DECIDED,
    Aanvraag,
    Client,
    ComplexityRule,
    Evaluation,
    Indication,
    IndicationResult,
    IndicationStatus,
    IndicationStatusChange,
    Intake,
    Melding,
    Municipality,
    OtherProvision,
    QualityAnswer,
    QualityCheck,
    QualitySample,
    Review,
    ZrmAssessment,
    ZrmScore,
    decided_grant,
)
from indications.selectors import consultants_for, latest_zrm_assessment, worklist
from indications.services import check_ib_rules, issue_beschikking
from indications.validators import is_valid_bsn
from indications.workflow import LIVE_STATUSES, VOID_STATUSES, ensure_transition_allowed
from providers.codes import RedenBeeindiging, RedenWijziging
from providers.models import Assignment, CareEvent, ChangeRequest, ClientSatisfaction, Provider
from providers.panels import open_change_requests_for
from providers.selectors import satisfaction_target
from providers.services import answer_change_request, ensure_contract_covers, record_care_start, record_care_stop
from tests.conftest import built_once_per_module
from tests.factories import TODAY

pytestmark = pytest.mark.django_db

S = IndicationStatus
CLIENTS = 60
# Rules that only hold at the moment of vaststellen: afterwards the planned evaluations have been
# held and the replaced beschikking has ended, as they should.
RULES_ONLY_AT_ISSUE = {"no_evaluation", "replaces_not_live"}
COUNTED = (
    Declaratie,
    Prestatie,
    ContractBudget,
    Client,
    Melding,
    Intake,
    Aanvraag,
    Indication,
    IndicationStatusChange,
    Evaluation,
    ZrmAssessment,
    ZrmScore,
    Review,
    Provider,
    Assignment,
    CareEvent,
    ChangeRequest,
)


@pytest.fixture(autouse=True)
def no_letter_pdfs_beyond_the_first_load(monkeypatch):
    """A load in a test renders none of its letters (about 0.5 s each); the class's demo, built before
    this fixture, renders its RENDER_NOW as load_demo does, and tests/letters tests the rendering."""
    monkeypatch.setattr(demo_letters, "RENDER_NOW", 0)


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo of CLIENTS clients, generated once for the tests of a class (built_once_per_module):
    with the settings the function-scoped autouse fixtures give every test (fast password hashing,
    the iWmo outbox in a temporary folder), which do not reach a class-scoped fixture."""
    outbox = tmp_path_factory.mktemp("demo-iwmo-uit")

    def build():
        with override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            IWMO={**settings.IWMO, "EXPORT_DIR": str(outbox), "OUTBOX_URL": ""},
        ):
            return generate_demo(clients=CLIENTS, today=TODAY, seed=7)

    yield from built_once_per_module(django_db_blocker, build)


def _user(username):
    return get_user_model().objects.get(username=username)


def _decided():
    """The decided grants (an afwijzing is decided too, but grants nothing: see the test of refusals)."""
    return Indication.objects.filter(decided_grant()).select_related("product", "replaces__product", "client")


POSTCODE = re.compile(r"^[1-9][0-9]{3} [A-Z]{2}$")
CONTINUING = {Indication.Kind.HERINDICATIE, Indication.Kind.SCALE_UP, Indication.Kind.SCALE_DOWN}


class TestTheDemo:
    """Tests that read one demo of CLIENTS clients, built once for the class (`demo`); a test that
    changes it (a second run, a service, a top-up) runs in a savepoint that is rolled back after it."""

    def test_generates_the_requested_case_load(self, demo):
        assert demo.clients == CLIENTS == Client.objects.count()
        assert Provider.objects.count() >= 45
        assert set(Indication.objects.values_list("product__code", flat=True)) >= {"IB1", "IB2", "IB3"}
        assert set(Indication.objects.values_list("status", flat=True)) >= {
            S.CONCEPT,
            S.ACTIEF,
            S.BEEINDIGD,
            S.VASTGESTELD,
        }

    def test_second_run_adds_nothing(self, demo):
        counts = [model.objects.count() for model in COUNTED]
        again = generate_demo(clients=CLIENTS, today=TODAY, seed=7)
        assert again.skipped
        assert [model.objects.count() for model in COUNTED] == counts

    def test_every_bsn_passes_the_elfproef(self, demo):
        bsns = list(Client.objects.values_list("bsn", flat=True))
        assert all(is_valid_bsn(bsn) for bsn in bsns)
        assert len(set(bsns)) == len(bsns)

    def test_every_decided_indication_keeps_the_ib_rules(self, demo):
        for indication in _decided():
            broken = {error.code for error in check_ib_rules(indication, today=indication.decision_date)}
            assert not broken - RULES_ONLY_AT_ISSUE, (indication.pk, broken)
            assert indication.number == f"IB-{indication.decision_date.year}-{indication.pk:07d}"

    def test_the_demo_fills_the_primary_domain_treatment_and_provision_costs(self, demo):
        decided = list(_decided().prefetch_related("results__result"))
        named = [indication for indication in decided if indication.primary_domain_id]
        assert len(named) >= 0.75 * len(decided)
        for indication in named:  # one of its results' domains (the rules above check it too)
            assert indication.primary_domain_id in {item.result.domain_id for item in indication.results.all()}
        treatments = [indication.treatment_needed for indication in decided]
        assert set(treatments) <= set(Indication.TreatmentNeeded.values)
        assert treatments.count("nee") > len(treatments) / 3
        assert any(treatment.startswith("ja") for treatment in treatments)
        extramural = OtherProvision.objects.filter(kind__in=ib_rules.EXTRAMURAL_KINDS)
        assert extramural.filter(cost_per_period__isnull=False).count() > extramural.count() / 2
        assert not OtherProvision.objects.exclude(kind__in=ib_rules.EXTRAMURAL_KINDS).filter(
            cost_per_period__isnull=False
        )

    def test_every_client_passes_the_address_phone_and_birth_date_validators(self, demo):
        for client in Client.objects.all():
            client.full_clean(exclude=["bsn"], validate_unique=False)

    def test_every_melding_and_aanvraag_has_a_consulent_of_a_team_serving_the_client(self, demo):
        for model in (Melding, Aanvraag):
            for item in model.objects.select_related("client", "consultant"):
                assert consultants_for(item.client.municipality_id).filter(pk=item.consultant_id).exists(), item.pk

    def test_results_only_in_domains_scored_2_or_3_or_acute_where_allowed(self, demo):
        for indication in _decided().prefetch_related("results__result__domain__zrm_domains"):
            assessment = latest_zrm_assessment(indication.client, on_or_before=indication.decision_date)
            scores = {score.domain_id: score.score for score in assessment.scores.all()}
            for item in indication.results.all():
                assert any(
                    scores.get(zrm.pk) in (2, 3) or (scores.get(zrm.pk) == 1 and zrm.allows_acute_score)
                    for zrm in item.result.domain.zrm_domains.all()
                ), (indication.pk, item.result.domain.code)

    def test_dates_and_durations(self, demo):
        # An afwijzing grants no period: its product is the one refused, without an einddatum.
        for indication in Indication.objects.exclude(outcome=Indication.Outcome.AFWIJZING).select_related("product"):
            if indication.end_date is not None:
                assert indication.end_date >= indication.start_date
            if indication.product.max_duration_weeks:
                assert indication.end_date is not None
                assert (indication.end_date - indication.start_date).days <= indication.product.max_duration_weeks * 7
        for evaluation in Evaluation.objects.select_related("indication"):
            assert evaluation.indication.start_date <= evaluation.held_on <= TODAY
            if evaluation.outcome == Evaluation.Outcome.CONTINUE:
                assert evaluation.next_evaluation_on > evaluation.held_on

    def test_live_beschikkingen_of_a_client_never_overlap(self, demo):
        live = list(Indication.objects.filter(status__in=LIVE_STATUSES).order_by("client_id", "start_date"))
        for first, second in zip(live, live[1:], strict=False):
            if first.client_id == second.client_id:
                assert first.end_date is not None and first.end_date < second.start_date, (first.pk, second.pk)

    def test_statuses_agree_with_the_dates(self, demo):
        assert not Indication.objects.filter(status=S.ACTIEF, start_date__gt=TODAY).exists()
        assert not Indication.objects.filter(status=S.ACTIEF, end_date__lt=TODAY).exists()
        assert not Indication.objects.filter(status=S.BEEINDIGD, end_date__gte=TODAY).exists()
        assert not Indication.objects.filter(status=S.VASTGESTELD, start_date__lte=TODAY).exists()
        for indication in Indication.objects.exclude(status=S.CONCEPT).prefetch_related("status_changes"):
            assert indication.status_changes.last().to_status == indication.status

    def test_complex_beschikkingen_were_approved_by_a_team_lead(self, demo):
        lead = _user("teamleider")
        for indication in Indication.objects.filter(DECIDED).select_related("product", "replaces__product", "client"):
            if complexity_findings(indication, today=indication.decision_date):
                assert indication.four_eyes_required
                assert indication.approved_by == lead != indication.consultant

    def test_the_consultant_has_open_work_in_every_section(self, demo):
        consultant = _user("consulent")
        sections = {**worklist(consultant, today=TODAY), "change_requests": open_change_requests_for(consultant)}
        for name in (
            "open_onderzoeken",
            "open_aanvragen",
            "concept_indications",
            "nazorg_due",
            "evaluations_due",
            "ending_soon",
            "change_requests",
        ):
            assert sections[name].exists(), name
        assert Indication.objects.filter(consultant=consultant, status=S.TER_BEOORDELING).exists()
        assert Indication.objects.filter(consultant=consultant, status=S.GOEDGEKEURD).exists()

    def test_every_natura_beschikking_is_assigned_to_a_contracted_provider(self, demo):
        for indication in _decided().prefetch_related("assignments__provider", "assignments__product"):
            assignments = list(indication.assignments.all())
            if indication.is_pgb:  # the budgetholder buys the care: no provider, no toewijzing
                assert not assignments and indication.provider_id is None, indication.pk
                continue
            assert assignments, indication.pk
            for assignment in assignments:
                assert re.fullmatch(r"[0-9]{10}", assignment.number), assignment.number
                ensure_contract_covers(assignment.provider, assignment.product, assignment.start_date)
                if indication.status == S.INGETROKKEN:
                    assert assignment.status == Assignment.Status.WITHDRAWN
            if indication.status == S.ACTIEF:
                active = sum(a.status == Assignment.Status.ACTIVE for a in assignments)
                # A provider's stop (WMO307 from the demo's simulated providers) ends the toewijzing, not the
                # beschikking: then no toewijzing is active.
                stopped = any(a.status == Assignment.Status.ENDED and a.care_stopped_on for a in assignments)
                assert active == 1 or (active == 0 and stopped), indication.pk

    def test_about_18_percent_of_the_ib_clients_have_a_pgb_with_its_conditions_recorded(self, demo):
        """Seed 003: on 31-12-2016 IB was 1,365 in natura and 304 pgb (18%); 60 clients give a rough share."""
        decided = list(_decided().select_related("pgb"))
        pgb_clients = {indication.client_id for indication in decided if indication.is_pgb}
        share = len(pgb_clients) / len({indication.client_id for indication in decided})
        assert 0.05 <= share <= 0.35, share
        for indication in decided:
            if indication.is_pgb:
                pgb = indication.pgb
                assert (pgb.able_to_manage, pgb.motivated, pgb.quality_plausible) == (True, True, True)
                assert pgb.budget_plan_received_on is not None and pgb.holder_name

    def test_start_and_stop_reports_agree_with_the_assignments(self, demo):
        for event in CareEvent.objects.select_related("assignment"):
            assignment = event.assignment
            assert event.received_at.date() <= TODAY
            if event.kind == CareEvent.Kind.START:
                assert event.event_date == assignment.care_started_on >= assignment.start_date
            if event.kind == CareEvent.Kind.STOP:
                assert event.event_date == assignment.care_stopped_on >= assignment.care_started_on
                assert event.reason == assignment.stop_reason
                assert assignment.status == Assignment.Status.ENDED

    def test_the_services_carry_on_with_the_demo_data(self, demo):
        consultant, lead = _user("consulent"), _user("teamleider")
        concept = Indication.objects.filter(consultant=consultant, status=S.CONCEPT, reviews__isnull=True).first()
        assert check_ib_rules(concept, today=TODAY) == []
        if complexity_findings(concept, today=TODAY):
            submit_for_review(concept, by=consultant, today=TODAY)
            approve_indication(concept, by=lead)
        issued = issue_beschikking(concept, by=consultant, today=TODAY)
        assert issued.number == f"IB-{TODAY.year}-{issued.pk:07d}"
        assert Indication.objects.filter(number=issued.number).count() == 1
        # The services' next toewijzingnummer continues after the demo's (one counter, providers.numbering).
        demo_numbers = Assignment.objects.exclude(indication=issued).values_list("number", flat=True)
        assert issued.assignments.get().number == f"{max(int(number) for number in demo_numbers) + 1:010d}"
        request = ChangeRequest.objects.filter(assignment__indication__consultant=consultant, status="open").first()
        answered = answer_change_request(
            request, by=consultant, accept=False, reason="Eerst evalueren.", refusal_reason="7", today=TODAY
        )
        assert answered.status == ChangeRequest.Status.REFUSED

    def test_demo_users_log_in_with_their_roles(self, demo, client):
        for username, password, *_rest in DEMO_USERS:
            assert client.login(username=username, password=password), username
            client.logout()
        client.login(username="consulent", password="demo-consulent-2026")
        assert client.get(reverse("indications:worklist")).status_code == 200
        assert _user("consulent").has_perm("indications.issue_beschikking")
        assert _user("teamleider").has_perm("indications.review_indication")

    def test_the_demo_beheerder_is_a_functioneel_beheerder_and_does_what_the_readme_says(self, demo, client):
        """Not a superuser: exactly the role, which reaches reference data, users, roles, complexity
        rules and API keys in /beheer/, a client's access log and the AVG export, and no case file."""
        beheerder = _user("beheerder")
        assert not beheerder.is_superuser and beheerder.is_staff
        assert list(beheerder.groups.values_list("name", flat=True)) == [FUNCTIONEEL_BEHEERDER]
        assert client.login(username="beheerder", password="demo-beheer-2026")
        assert client.get("/beheer/").status_code == 200
        for model in (
            "indications/product",
            "indications/tariff",
            "indications/complexityrule",
            "indications/municipality",
            "providers/provider",
            "providers/apitoken",
            "accounts/team",
            "auth/user",
            "auth/group",
            "audit/auditevent",
        ):
            assert client.get(f"/beheer/{model}/").status_code == 200, model
        consultant = _user("consulent2")
        form = client.get(f"/beheer/auth/user/{consultant.pk}/change/").context["adminform"].form
        assert "groups" in form.fields and "is_superuser" not in form.fields  # assigns roles, no superuser rights
        rule = ComplexityRule.objects.first()
        assert client.get(f"/beheer/indications/complexityrule/{rule.pk}/change/").status_code == 200

        someone = Client.objects.first()
        found = client.get("/clienten/", {"bsn": someone.bsn})
        assert reverse("indications:client_access_log", args=[someone.uuid]) in found.content.decode()
        assert client.get(reverse("indications:client_access_log", args=[someone.uuid])).status_code == 200
        assert client.get(reverse("indications:client_inzage_export", args=[someone.uuid])).status_code == 200
        assert client.get(reverse("indications:client_file", args=[someone.uuid])).status_code == 403

    def test_the_team_lead_has_a_completed_quality_sample_with_findings(self, demo):
        lead = _user("teamleider")
        sample = QualitySample.objects.get()
        assert sample.drawn_by == lead and sample.checks.filter(status=QualityCheck.Status.OPEN).exists()
        done = sample.checks.filter(status=QualityCheck.Status.DONE)
        assert done.count() >= 3
        rows = quality.findings(lead)
        assert sum(row.checks_done for row in rows) == done.count()
        assert len({row.quarter for row in rows}) == 2  # the two quarters before today's
        verdicts = set(QualityAnswer.objects.values_list("verdict", flat=True))
        assert QualityAnswer.Verdict.FAILS in verdicts and QualityAnswer.Verdict.MEETS in verdicts

    def test_the_readmes_api_example_can_be_started_on_any_day(self, demo):
        """The README's curl flow picks the first toewijzing of the demo provider that can start today;
        once the flow has used it (started and stopped), the next run of the demo adds a fresh one."""
        example = api_example_assignment(today=TODAY)
        assert example.provider.agb_code == API_EXAMPLE_PROVIDER and api_example_works(example, today=TODAY)
        record_care_start(example, on=TODAY, by=None, today=TODAY)
        record_care_stop(example, on=TODAY, reason=RedenBeeindiging.VOLGENS_PLAN, by=None, today=TODAY)
        assert not api_example_works(api_example_assignment(today=TODAY), today=TODAY)

        clients = Client.objects.count()
        again = generate_demo(clients=CLIENTS, today=TODAY, seed=7)
        assert again.api_example_added and Client.objects.count() == clients + 1
        fresh = api_example_assignment(today=TODAY)
        assert fresh != example and api_example_works(fresh, today=TODAY)
        assert not generate_demo(clients=CLIENTS, today=TODAY, seed=7).api_example_added  # unused: kept

        later = TODAY + timedelta(days=400)  # long after the load: every toewijzing of the demo has moved on
        assert generate_demo(clients=CLIENTS, today=later, seed=7).skipped
        assert api_example_works(api_example_assignment(today=later), today=later)

    # -- the demo against the services' rules ----------------------------------------------------------

    def test_the_replaced_toewijzing_keeps_the_change_reason_of_the_vaststelling(self, demo):
        """issue_beschikking ends the replaced beschikking's toewijzing with 04 (or 12 when the provider
        asked for it); the nightly end afterwards must not overwrite it (providers.services keeps the first)."""
        checked = 0
        for successor in _decided().exclude(replaces=None):
            last = successor.replaces.assignments.order_by("pk").last()
            if last is None or not last.change_reason:
                continue
            asked = ChangeRequest.objects.filter(follow_up=successor, status=ChangeRequest.Status.GRANTED).exists()
            assert last.change_reason == (RedenWijziging.DOOR_AANBIEDER if asked else RedenWijziging.VERLENGING), (
                successor.pk,
                last.change_reason,
            )
            checked += 1
        assert checked

    def test_every_status_history_follows_the_transition_table(self, demo):
        """workflow.move is the only way a status moves: each change is allowed from the status before it,
        in time order, from concept to the status the indication has, whose reason it keeps."""
        for indication in Indication.objects.prefetch_related("status_changes"):
            changes = list(indication.status_changes.all())
            status = S.CONCEPT
            for change in changes:
                assert change.from_status == status, (indication.pk, [(c.from_status, c.to_status) for c in changes])
                ensure_transition_allowed(change.from_status, change.to_status)
                status = change.to_status
            assert status == indication.status, indication.pk
            assert [c.at for c in changes] == sorted(c.at for c in changes), indication.pk
            if changes:
                assert indication.status_reason == changes[-1].reason, indication.pk

    def test_a_beschikking_ended_by_the_consultant_keeps_the_reason_the_nightly_job_uses(self, demo):
        """end_beschikking per a past day keeps its reason in end_reason; the nightly end of an expired
        one says 'Einddatum verstreken' (or the planned reason), as end_expired_beschikkingen does."""
        ended = Indication.objects.filter(status=S.BEEINDIGD).prefetch_related("status_changes")
        by_consultant = 0
        for indication in ended:
            last = list(indication.status_changes.all())[-1]
            if last.by_id is not None:
                assert indication.end_reason == last.reason != "", indication.pk
                by_consultant += 1
            else:
                assert last.reason == (indication.end_reason or "Einddatum verstreken"), indication.pk
            assert indication.ended_on is not None and indication.ended_on >= indication.start_date
        assert by_consultant and ended.count() > by_consultant

    def test_toewijzingen_end_as_the_services_end_them(self, demo):
        """record_care_stop shortens the toewijzing to the last day of care; a withdrawn one ends on its
        first day; none is left active after its end or after its beschikking ended."""
        stopped = 0
        for assignment in Assignment.objects.select_related("indication"):
            if assignment.end_date is not None:
                assert assignment.end_date >= assignment.start_date, assignment.pk
            if assignment.care_stopped_on is not None:
                assert assignment.end_date is not None and assignment.end_date <= assignment.care_stopped_on, (
                    assignment.pk,
                    assignment.end_date,
                    assignment.care_stopped_on,
                )
                stopped += 1
            if assignment.status == Assignment.Status.WITHDRAWN:
                assert assignment.end_date == assignment.start_date and assignment.change_reason, assignment.pk
            if assignment.status == Assignment.Status.ACTIVE:
                assert assignment.end_date is None or assignment.end_date >= TODAY, assignment.pk
                assert assignment.indication.status in LIVE_STATUSES, assignment.pk
            if assignment.change_reason == RedenWijziging.VERLENGING:  # 04: its beschikking was replaced
                assert Indication.objects.filter(replaces=assignment.indication_id).exists(), assignment.pk
        assert stopped

    def test_each_result_is_chosen_once(self, demo):
        twice = IndicationResult.objects.values("indication", "result").annotate(n=Count("pk")).filter(n__gt=1)
        assert not twice.exists()
        assert IndicationResult.objects.exists()

    def test_one_indication_per_aanvraag_and_one_successor_per_beschikking(self, demo):
        """The services' rule (a withdrawn one makes room for a new one), checked for every indication."""
        for indication in Indication.objects.exclude(status__in=VOID_STATUSES):
            assert one_indication_errors(indication) == {}, indication.pk
        assert Indication.objects.exclude(replaces=None).exists()

    def test_personal_data_passes_the_validation_rules(self, demo):
        for client in Client.objects.all():
            assert POSTCODE.match(client.postcode), client.postcode
            digits = client.phone.replace("-", "").replace(" ", "")
            assert len(digits) == 10 and digits.startswith("0") and digits.isdigit(), client.phone
            assert date(1900, 1, 1) <= client.date_of_birth <= TODAY
        for provider in Provider.objects.all():
            digits = provider.contact_phone.replace("-", "")
            assert len(digits) == 10 and digits.startswith("0") and digits.isdigit(), provider.contact_phone

    def test_a_beschikking_starts_on_or_after_its_melding_unless_it_continues_one(self, demo):
        for indication in Indication.objects.select_related("aanvraag__intake__melding"):
            if indication.kind in CONTINUING:
                assert indication.replaces_id is not None
                continue
            melding = indication.aanvraag.intake.melding
            assert indication.start_date >= melding.received_on, indication.pk

    def test_the_demo_shows_the_step_at_18(self, demo):
        """Youth with jeugdhulp nearing 18, some known to the Wmo by a melding (channel jeugdhulp) and
        some not (the signal jeugdhulp_18), and young adults on IB4 below its age limit."""
        from indications.models import OtherProvision
        from signals.checks import CHECKS_BY_NAME

        nearing = OtherProvision.objects.filter(
            kind=OtherProvision.Kind.JEUGDHULP, end_date=None, client__date_of_birth__gt=date(2008, 11, 23)
        )
        assert nearing.filter(client__meldingen__isnull=True).count() == 3
        assert nearing.filter(client__meldingen__channel=Melding.Channel.YOUTH_CARE).count() == 2
        raised = CHECKS_BY_NAME["jeugdhulp_18"].conditions(TODAY)
        assert {row["sig_client"] for row in raised} == set(
            nearing.filter(client__meldingen__isnull=True).values_list("client_id", flat=True)
        )
        ib4 = list(_decided().filter(product__code="IB4"))
        assert len(ib4) >= 2
        assert all(ind.start_date < date(ind.client.date_of_birth.year + 23, 1, 1) for ind in ib4)

    def test_the_demo_providers_have_client_satisfaction_of_recent_years_a_few_below_target(self, demo):
        years = {TODAY.year - 3, TODAY.year - 2, TODAY.year - 1}
        results = list(ClientSatisfaction.objects.all())
        assert {row.year for row in results} == years
        assert {row.provider_id for row in results} == set(Provider.objects.values_list("pk", flat=True))
        below = [row for row in results if row.score < satisfaction_target(row.year)]
        assert 0 < len(below) < len(results) / 4  # a few below the target 7.5
        generate_demo(clients=CLIENTS + 1, today=TODAY, seed=7)  # idempotent: the years are left alone
        assert ClientSatisfaction.objects.count() == len(results)

    def test_the_demo_shows_stops_after_the_eigen_bijdrage(self, demo):
        """The demo spans 1-12-2020, so the monitor's "stops na de eigen bijdrage" shows stops in the
        months after it and a year before; there (seed 001) an adult client who ends early in agreement
        ends it himself (reden 21) instead, which the default demo of 3,000 clients shows as a rise."""
        from monitor.eigen_bijdrage import stops_after_eigen_bijdrage
        from providers.codes import RedenBeeindiging

        window = Assignment.objects.filter(
            care_stopped_on__gte=date(2020, 12, 1), care_stopped_on__lte=date(2021, 5, 31)
        ).select_related("indication__client")
        adults = [a for a in window if a.care_stopped_on.year - a.indication.client.date_of_birth.year > 18]
        assert adults and not [a for a in adults if a.stop_reason == RedenBeeindiging.VOORTIJDIG]
        from monitor.services import refresh_monitor

        refresh_monitor(today=TODAY, first_year=2019, last_year=2021)  # as `make demo` refreshes every year
        rows = stops_after_eigen_bijdrage().rows
        assert [row[0] for row in rows][:2] == ["december 2020", "januari 2021"]
        assert sum(row[1] for row in rows) > 0 and sum(row[3] for row in rows) > 0

    def test_the_demo_shows_mantelzorgers_some_overloaded_with_the_result_area_set(self, demo):
        """About half of the onderzoeken with a keukentafelgesprek record mantelzorgers (demo.mantelzorg);
        an overloaded one is answered in the indication by the sub-result "voorkomen van overbelasting"
        or a motivation (the IB rule: every decided indication keeps it, see above), and an overloaded
        one without respijtzorg or ondersteuning offered by the onderzoek's note."""
        from indications.models import Intake, Mantelzorger

        talked = Intake.objects.filter(conversations__isnull=False).distinct()
        with_mantelzorger = talked.filter(mantelzorgers__isnull=False).distinct()
        assert 0.3 < with_mantelzorger.count() / talked.count() < 0.6
        overloaded = Mantelzorger.objects.filter(Mantelzorger.overloaded_q())
        assert 0 < overloaded.count() < Mantelzorger.objects.count() * 0.6
        answered = Indication.objects.filter(aanvraag__intake__mantelzorgers__in=overloaded).distinct()
        assert answered.filter(results__sub_results__prevents_network_overload=True).exists()
        unsupported = overloaded.filter(
            respite_offered=False, support_offered=False, intake__concluded_on__isnull=False
        )
        assert not unsupported.filter(intake__mantelzorg_notes="").exists()
        assert all(ib_rules.mantelzorg_errors(indication) == [] for indication in _decided().filter(pk__in=answered))

    def test_no_demo_row_predates_its_municipalitys_membership(self, demo):
        """The demo follows Municipality.member_from: no client, melding, aanvraag or beschikking of
        Hardinxveld-Giessendam before it joined on 1 January 2018, and none of the others before 2015."""
        for municipality in Municipality.objects.all():
            before = municipality.member_from
            assert not Client.objects.filter(municipality=municipality, created_at__date__lt=before).exists()
            assert not Melding.objects.filter(client__municipality=municipality, received_on__lt=before).exists()
            assert not Aanvraag.objects.filter(client__municipality=municipality, received_on__lt=before).exists()
            assert not Indication.objects.filter(client__municipality=municipality, start_date__lt=before).exists()
        # The demo's history starts in 2016 and Hardinxveld-Giessendam is there from 2018 on.
        assert Melding.objects.filter(received_on__year__lt=2018).exists()
        assert Client.objects.filter(municipality__name="Hardinxveld-Giessendam").exists()

    def test_the_demo_shows_ondersteuningsplannen_as_the_service_makes_them(self, demo):
        """Most started toewijzingen have a plan covering every result, submitted while the toewijzing ran;
        some were changed on request, some wait for a judgement, and a few are missing (the signal)."""
        from providers.models import SupportPlan
        from signals.checks import CHECKS_BY_NAME, PLAN_MISSING

        plans = SupportPlan.objects.select_related("assignment").prefetch_related(
            "parts", "assignment__indication__results"
        )
        statuses = set(plans.values_list("status", flat=True))
        assert {SupportPlan.Status.ACCEPTED, SupportPlan.Status.CHANGES_REQUESTED} <= statuses
        started = Assignment.objects.filter(care_started_on__isnull=False).exclude(status=Assignment.Status.WITHDRAWN)
        with_plan = started.filter(support_plans__isnull=False).distinct().count()
        assert with_plan > started.count() / 2
        for plan in plans:
            assignment = plan.assignment
            assert {part.indication_result_id for part in plan.parts.all()} == {
                result.pk for result in assignment.indication.results.all()
            }
            day = timezone.localdate(plan.submitted_at)
            assert assignment.care_started_on <= day <= TODAY
            assert assignment.end_date is None or day <= assignment.end_date
            assert assignment.care_stopped_on is None or day < assignment.care_stopped_on
            if plan.status == SupportPlan.Status.CHANGES_REQUESTED:
                assert plan.remark and plan.judged_on >= day
        versions: dict[int, list] = {}
        for assignment_id, version, status in plans.values_list("assignment_id", "version", "status").order_by(
            "version"
        ):
            versions.setdefault(assignment_id, []).append((version, status))
        for history in versions.values():
            assert [version for version, _status in history] == list(range(1, len(history) + 1))
            # Only the newest version may still wait for a judgement; an earlier one was judged.
            assert all(status != SupportPlan.Status.SUBMITTED for _version, status in history[:-1])
        raised = list(CHECKS_BY_NAME["ondersteuningsplan_ontbreekt"].conditions(TODAY))
        assert any(row["sig_variant"] == PLAN_MISSING for row in raised)

    def test_the_demo_refuses_and_grants_in_part_as_the_services_would(self, demo):
        on_aanvraag = Indication.objects.filter(DECIDED, aanvraag__isnull=False)
        refused = list(on_aanvraag.filter(outcome=Indication.Outcome.AFWIJZING).select_related("aanvraag"))
        partial = on_aanvraag.filter(outcome=Indication.Outcome.GEDEELTELIJK)
        total = on_aanvraag.count()
        assert refused and partial.exists()
        assert len(refused) <= 0.15 * total and partial.count() <= 0.12 * total
        lead = _user("teamleider")
        for indication in refused:
            assert indication.status == S.AFGEWEZEN and indication.number
            assert indication.refusal_ground and indication.refusal_motivation and indication.provider_id is None
            assert not indication.results.exists() and not indication.planned_evaluations.exists()
            assert not indication.assignments.exists()
            assert indication.approved_by == lead  # every afwijzing is reviewed (the active rule)
            assert indication.aanvraag.received_on <= indication.decision_date
        for indication in on_aanvraag.select_related("aanvraag__requested_product", "product"):
            assert indication.outcome == derived_outcome(indication), indication.pk

    def test_the_demo_bills_the_last_twelve_months_mostly_right_with_errors_of_known_kinds(self, demo):
        lines = Prestatie.objects.all()
        months = set(Declaratie.objects.values_list("period_start", flat=True))
        last_full_month = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
        assert max(months) == last_full_month
        assert (
            min(months) >= date(last_full_month.year - 1, last_full_month.month + 1, 1)
            if last_full_month.month < 12
            else True
        )
        assert len(months) >= 10
        assert lines.filter(accepted=True).count() > 0.85 * lines.count()
        codes = {code for row in lines.filter(accepted=False).values_list("codes", flat=True) for code in row}
        assert codes & {"9346", "0611", "9321", "9307", "9340", "9338"}
        # The money adds up: what the reconciliation calls accepted is what the monitor calls paid.
        paid = sum(money.paid_cents for money in spending.paid_and_expected(TODAY.year, per="provider").values())
        accepted = sum(
            line.signed_cents
            for line in lines.filter(accepted=True, declaratie__period_start__year=TODAY.year)
            if line.assignment_id is not None
        )
        assert paid == accepted > 0


def test_a_larger_run_tops_up_and_reset_keeps_numbers_unique():
    """On its own small demo (not the class's): the reset deletes every case table."""
    generate_demo(clients=5, today=TODAY, seed=7)
    generate_demo(clients=8, today=TODAY, seed=7)
    assert Client.objects.count() == 8
    highest = Indication.objects.order_by("-pk").values_list("pk", flat=True).first()
    reset_demo_case_data()
    assert not Client.objects.exists() and not Indication.objects.exists()
    generate_demo(clients=5, today=TODAY, seed=7)
    assert Indication.objects.order_by("pk").values_list("pk", flat=True).first() > highest


def test_the_writer_refuses_a_reference_to_a_row_it_does_not_write(db):
    rows = Rows()
    unwritten = ClientRow(bsn="111222333")
    rows.meldingen.append(MeldingRow(client=unwritten, received_on=TODAY, question="?"))
    with pytest.raises(ValueError, match="Melding.client points to a row that is not written"):
        write_chunk(rows)


def test_no_app_imports_the_demo_generator():
    """The demo sits on top of the layers: it may import every app, no app imports it."""
    root = Path(__file__).resolve().parent.parent
    importers = [
        path.relative_to(root)
        for app in settings.INSTALLED_APPS
        if (root / app).is_dir() and app != "demo"
        for path in (root / app).rglob("*.py")
        if re.search(r"^\s*(from demo\b|import demo\b)", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert importers == []


def test_the_output_does_not_depend_on_the_order_in_which_chunks_are_generated(monkeypatch):
    """Each chunk has its own random stream, so worker processes may finish in any order."""
    monkeypatch.setattr(demo_generator, "CHUNK", 10)

    def case_load():
        return sorted(
            (
                client.bsn,
                client.first_name,
                client.last_name,
                client.date_of_birth,
                client.postcode,
                tuple(sorted((i.product.code, i.status, i.start_date, i.end_date) for i in client.indications.all())),
            )
            for client in Client.objects.prefetch_related("indications__product")
        )

    generate_demo(clients=30, today=TODAY, seed=7)
    in_order = case_load()
    reset_demo_case_data()
    tasks = demo_generator._tasks
    monkeypatch.setattr(demo_generator, "_tasks", lambda *args, **kwargs: reversed(list(tasks(*args, **kwargs))))
    generate_demo(clients=30, today=TODAY, seed=7)
    assert case_load() == in_order


# -- bulk-load mode (PostgreSQL): keys and indexes lifted for the load and put back ------------------


def _schema():
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: connection.introspection.get_constraints(cursor, model._meta.db_table)
            for model in WRITTEN
        }


def test_a_bulk_load_puts_back_every_key_and_index_it_lifted(monkeypatch):
    before, lifted = _schema(), []
    lift = bulkload.lift
    monkeypatch.setattr(bulkload, "lift", lambda tables: lifted.append(lift(tables)) or lifted[-1])
    generate_demo(clients=30, today=TODAY, seed=7, bulk=True)
    assert _schema() == before
    assert not HeldBackDefinition.objects.exists()
    assert Client.objects.count() == 30
    if connection.vendor == "postgresql":  # the role owns the tables, so the load lifted them
        assert len(lifted) == 1 and lifted[0] > 50
    else:  # SQLite has no bulk mode
        assert lifted == [] and not bulkload.may_lift(WRITTEN)


def test_what_a_died_bulk_load_lifted_is_put_back_by_the_next_reset():
    before = _schema()
    if bulkload.may_lift(WRITTEN):
        dropped = bulkload.lift(WRITTEN)
        assert dropped > 50 and HeldBackDefinition.objects.count() >= dropped  # a unique key: index and constraint
        assert _schema() != before
    reset_demo_case_data()
    assert _schema() == before and not HeldBackDefinition.objects.exists()


def test_a_bulk_load_that_breaks_a_reference_fails_when_it_puts_the_keys_back(monkeypatch):
    """The re-created foreign keys check every row: a dangling reference is refused, not committed."""
    if not bulkload.may_lift(WRITTEN):
        assert connection.vendor == "sqlite"  # bulk mode is PostgreSQL's; SQLite checks each row
        return
    original = write_chunk

    def dangling(rows):
        original(rows)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE indications_melding SET client_id = -1 WHERE id = %s", [rows.meldingen[0].id])

    monkeypatch.setattr(demo_generator, "write_chunk", dangling)
    with pytest.raises(IntegrityError, match="indications_melding.*violates foreign key"), transaction.atomic():
        generate_demo(clients=5, today=TODAY, seed=7, bulk=True)


def test_the_generator_draws_a_new_clients_municipality_from_that_days_members(db):
    """A client whose history starts before 1 January 2018 lives in one of the six; from then on the
    seventh, Hardinxveld-Giessendam, gets its share (about 6% by inhabitants)."""
    generate_demo(clients=0, today=TODAY)  # the demo users, teams and team lead only
    generator = Generator(
        rng=DemoRandom("lidmaatschap"),
        today=TODAY,
        reference=load_reference(ensure_demo_providers(), ensure_demo_teams(clients=10)),
    )
    rows = Rows()
    for number in range(300):
        generator.new_client(rows, f"{number:09d}", date(2017, 12, 31), scenario=False)
    assert "Hardinxveld-Giessendam" not in {client.municipality.name for client in rows.clients}
    rows = Rows()
    for number in range(300):
        generator.new_client(rows, f"{number:09d}", date(2018, 1, 1), scenario=False)
    assert "Hardinxveld-Giessendam" in {client.municipality.name for client in rows.clients}
