"""The provider's ondersteuningsplan (seed 002): versions with a PDF and/or a text per result of the
beschikking, the consultant's judgement on the beschikking page, the audited PDF download."""

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import CONSULENT, CONTRACTMANAGER
from audit.models import AuditEvent
from providers import support_plans
from providers.models import Assignment, SupportPlan, SupportPlanPart
from providers.support_plans import PlanPartInput, judge_support_plan, submit_support_plan
from tests.factories import (
    TODAY,
    AssignmentFactory,
    IndicationFactory,
    SupportPlanFactory,
    TeamFactory,
    staff_member,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def assignment(consultant):
    """A started toewijzing of a beschikking with results on financiën and huisvesting."""
    indication = IndicationFactory(actief=True, consultant=consultant, results=["financien", "huisvesting"])
    return AssignmentFactory(indication=indication, gestart=True)


def parts_for(assignment, **overrides) -> list[PlanPartInput]:
    return [
        PlanPartInput(
            domain=item.result.domain.name,
            result=item.result.name,
            approach=overrides.get(item.result.domain.code, f"Aanpak {item.result.domain.name}"),
            steps="Stap 1, stap 2",
        )
        for item in assignment.indication.results.select_related("result__domain")
    ]


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def stored_files(root) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]


# -- submitting -----------------------------------------------------------------------------------


def test_a_text_plan_covers_every_result_and_is_audited(assignment):
    plan = submit_support_plan(assignment, parts=parts_for(assignment), by=None, today=TODAY)
    assert (plan.version, plan.status, plan.pdf.name, plan.pdf_sha256) == (1, SupportPlan.Status.SUBMITTED, "", "")
    assert sorted(part.indication_result.result.domain.code for part in plan.parts.all()) == [
        "financien",
        "huisvesting",
    ]
    event = AuditEvent.objects.get(object_type="providers.supportplan", action=AuditEvent.Action.CREATE)
    assert event.client_id == assignment.indication.client_id and "versie 1" in event.summary


def test_a_text_plan_must_cover_every_result(assignment):
    with pytest.raises(ValidationError) as failure:
        submit_support_plan(assignment, parts=parts_for(assignment)[:1], by=None, today=TODAY)
    assert codes(failure.value) == {"results_missing"}
    assert "resultaten" in failure.value.error_dict
    assert not SupportPlan.objects.exists() and not SupportPlanPart.objects.exists()


def test_unknown_duplicate_and_empty_results_are_refused(assignment):
    parts = parts_for(assignment)
    unknown = PlanPartInput(domain="Financiën", result="Iets anders", approach="x")
    for given, code in [
        ([*parts, unknown], "unknown_result"),
        ([*parts, parts[0]], "duplicate_result"),
        ([parts[0], PlanPartInput(domain=parts[1].domain, result=parts[1].result, approach="  ")], "approach_required"),
    ]:
        with pytest.raises(ValidationError) as failure:
            submit_support_plan(assignment, parts=given, by=None, today=TODAY)
        assert codes(failure.value) == {code}
    assert not SupportPlan.objects.exists()


def test_an_empty_plan_is_refused(assignment):
    with pytest.raises(ValidationError) as failure:
        submit_support_plan(assignment, by=None, today=TODAY)
    assert codes(failure.value) == {"empty_plan"}


def test_a_pdf_is_stored_privately_with_its_hash(assignment, private_media_in_tmp):
    plan = submit_support_plan(assignment, pdf=PDF, by=None, today=TODAY)
    assert plan.pdf_sha256 == hashlib.sha256(PDF).hexdigest() and plan.pdf_size == len(PDF)
    assert plan.pdf.name.startswith(f"ondersteuningsplannen/{assignment.uuid}/versie-1-")
    with plan.pdf.open("rb") as stored:
        assert stored.read() == PDF
    assert Path(plan.pdf.path).is_relative_to(private_media_in_tmp)


def test_only_a_real_pdf_within_the_limit_is_accepted(assignment, monkeypatch):
    with pytest.raises(ValidationError) as failure:
        submit_support_plan(assignment, pdf=b"<html>geen pdf</html>", by=None, today=TODAY)
    assert codes(failure.value) == {"not_a_pdf"} and "pdf" in failure.value.error_dict
    monkeypatch.setattr(support_plans, "MAX_PDF_BYTES", len(PDF) - 1)
    with pytest.raises(ValidationError) as failure:
        submit_support_plan(assignment, pdf=PDF, by=None, today=TODAY)
    assert codes(failure.value) == {"pdf_too_large"}
    assert not SupportPlan.objects.exists()


def test_a_refused_submission_leaves_no_file(assignment, private_media_in_tmp):
    before = stored_files(private_media_in_tmp)
    with pytest.raises(ValidationError):
        submit_support_plan(assignment, pdf=PDF, parts=parts_for(assignment)[:1], by=None, today=TODAY)
    assert stored_files(private_media_in_tmp) == before


def test_a_failure_after_the_file_was_written_removes_it(assignment, private_media_in_tmp, monkeypatch):
    before = stored_files(private_media_in_tmp)

    def audit_down(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(support_plans, "record_event", audit_down)
    with pytest.raises(RuntimeError):
        submit_support_plan(assignment, pdf=PDF, by=None, today=TODAY)
    assert stored_files(private_media_in_tmp) == before
    assert not SupportPlan.objects.exists()


@pytest.mark.parametrize("trait", ["gestopt", "beeindigd", "ingetrokken"])
def test_only_a_running_toewijzing_takes_a_plan(consultant, trait):
    assignment = AssignmentFactory(indication=IndicationFactory(actief=True, consultant=consultant), **{trait: True})
    with pytest.raises(ValidationError) as failure:
        submit_support_plan(assignment, parts=parts_for(assignment), by=None, today=TODAY)
    assert codes(failure.value) <= {"assignment_not_active", "beschikking_withdrawn"}
    assert not SupportPlan.objects.exists()


def test_a_new_version_replaces_the_one_not_yet_judged(assignment):
    first = submit_support_plan(assignment, parts=parts_for(assignment), by=None, today=TODAY)
    second = submit_support_plan(assignment, pdf=PDF, by=None, today=TODAY)
    first.refresh_from_db()
    assert (first.status, second.version, second.status) == (
        SupportPlan.Status.SUPERSEDED,
        2,
        SupportPlan.Status.SUBMITTED,
    )
    with pytest.raises(ValidationError) as failure:
        judge_support_plan(first, by=None, accept=True, today=TODAY)
    assert codes(failure.value) == {"already_judged"}


# -- judging --------------------------------------------------------------------------------------


def test_the_consultant_accepts_a_plan(assignment, consultant):
    plan = submit_support_plan(assignment, parts=parts_for(assignment), by=None, today=TODAY)
    judge_support_plan(plan, by=consultant, accept=True, today=TODAY)
    plan.refresh_from_db()
    assert (plan.status, plan.judged_on, plan.judged_by) == (SupportPlan.Status.ACCEPTED, TODAY, consultant)
    with pytest.raises(ValidationError) as failure:
        judge_support_plan(plan, by=consultant, accept=False, remark="Toch niet", today=TODAY)
    assert codes(failure.value) == {"already_judged"}
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.ACCEPTED


def test_asking_for_changes_needs_a_remark(assignment, consultant):
    plan = submit_support_plan(assignment, parts=parts_for(assignment), by=None, today=TODAY)
    with pytest.raises(ValidationError) as failure:
        judge_support_plan(plan, by=consultant, accept=False, remark="  ", today=TODAY)
    assert "remark" in failure.value.error_dict
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.SUBMITTED
    judge_support_plan(plan, by=consultant, accept=False, remark="Stappen concreter maken.", today=TODAY)
    plan.refresh_from_db()
    assert (plan.status, plan.remark) == (SupportPlan.Status.CHANGES_REQUESTED, "Stappen concreter maken.")
    # The provider answers with a new version.
    again = submit_support_plan(assignment, parts=parts_for(assignment), by=None, today=TODAY)
    assert again.version == 2
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.CHANGES_REQUESTED


def test_the_status_table_has_no_way_back():
    assert support_plans.ALLOWED_STATUS_CHANGES[SupportPlan.Status.SUBMITTED] == {
        SupportPlan.Status.ACCEPTED,
        SupportPlan.Status.CHANGES_REQUESTED,
        SupportPlan.Status.SUPERSEDED,
    }
    assert not any(
        support_plans.ALLOWED_STATUS_CHANGES[status] for status in SupportPlan.Status if status != "ingediend"
    )


def test_the_term_runs_from_the_start_of_care(assignment, settings):
    settings.SDD = {**settings.SDD, "SUPPORT_PLAN_TERM_DAYS": 10}
    assert support_plans.due_date(assignment) == assignment.care_started_on + timedelta(days=10)
    assignment.care_started_on = None
    assert support_plans.due_date(assignment) is None


# -- the beschikking page -------------------------------------------------------------------------


def page(indication) -> str:
    return reverse("indications:indication_detail", args=[indication.uuid])


def test_the_page_shows_the_plan_and_judges_it(client, consultant, assignment):
    plan = submit_support_plan(assignment, pdf=PDF, parts=parts_for(assignment), by=None, today=TODAY)
    client.force_login(consultant)
    html = client.get(page(assignment.indication)).content.decode()
    assert "Ondersteuningsplan van de aanbieder" in html and "Aanpak Financiën" in html
    assert reverse("providers:support_plan_pdf", args=[plan.uuid]) in html
    assert "Accepteren" in html and "Wijziging vragen" in html
    response = client.post(
        reverse("providers:judge_support_plan", args=[plan.uuid]), {"decision": "accepteren", "remark": ""}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.judged_by) == (SupportPlan.Status.ACCEPTED, consultant)
    assert "Wijziging vragen" not in client.get(page(assignment.indication)).content.decode()


def test_changes_without_a_remark_come_back_at_the_field(client, consultant, assignment):
    plan = submit_support_plan(assignment, parts=parts_for(assignment), by=None, today=TODAY)
    client.force_login(consultant)
    response = client.post(
        reverse("providers:judge_support_plan", args=[plan.uuid]), {"decision": "wijziging_vragen", "remark": ""}
    )
    html = response.content.decode()
    assert "Geef aan wat de aanbieder in het plan moet wijzigen." in html
    assert f'id="plan-{plan.pk}_remark_error"' in html
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.SUBMITTED


def test_the_pdf_download_is_recorded_as_a_read(client, consultant, assignment):
    plan = submit_support_plan(assignment, pdf=PDF, by=None, today=TODAY)
    client.force_login(consultant)
    response = client.get(reverse("providers:support_plan_pdf", args=[plan.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    read = AuditEvent.objects.get(object_type="providers.supportplan", action=AuditEvent.Action.READ)
    assert (read.actor, read.client_id) == (consultant, assignment.indication.client_id)


def test_a_plan_without_pdf_has_no_download(client, consultant, assignment):
    plan = SupportPlanFactory(assignment=assignment)
    client.force_login(consultant)
    assert client.get(reverse("providers:support_plan_pdf", args=[plan.uuid])).status_code == 404


def test_only_the_clients_team_sees_and_judges_the_plan(client, assignment):
    plan = submit_support_plan(assignment, pdf=PDF, by=None, today=TODAY)
    other = staff_member(CONSULENT, team=TeamFactory(name="Team Alblasserwaard", municipalities=["Papendrecht"]))
    client.force_login(other)
    assert client.get(reverse("providers:support_plan_pdf", args=[plan.uuid])).status_code == 404
    judged = client.post(reverse("providers:judge_support_plan", args=[plan.uuid]), {"decision": "accepteren"})
    assert judged.status_code == 404
    client.force_login(staff_member(CONTRACTMANAGER))
    assert client.get(reverse("providers:support_plan_pdf", args=[plan.uuid])).status_code == 403
    assert (
        client.post(reverse("providers:judge_support_plan", args=[plan.uuid]), {"decision": "accepteren"}).status_code
        == 403
    )
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.SUBMITTED
    assert not AuditEvent.objects.filter(object_type="providers.supportplan", action=AuditEvent.Action.READ).exists()


def test_the_factory_writes_what_the_service_writes(assignment):
    plan = SupportPlanFactory(assignment=assignment)
    assert plan.parts.count() == assignment.indication.results.count() == 2
    assert SupportPlanFactory(wijziging_gevraagd=True).remark
    assert Assignment.objects.filter(support_plans__isnull=False).distinct().count() == 2
