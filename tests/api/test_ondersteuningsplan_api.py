"""The ondersteuningsplan through the provider API: POST a version (base64 PDF and/or text per result),
GET the versions with the consultant's judgement; scoped to the provider, idempotent per berichtId,
400 with codes per field, audited."""

import base64

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from providers import services
from providers.models import CareEvent, SupportPlan
from providers.support_plans import judge_support_plan
from tests.factories import contracted_provider, issued_assignment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n%%EOF\n"


def api_for(provider) -> APIClient:
    _token, key = services.issue_api_token(provider, name="test", by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def provider_a():
    return contracted_provider(name="Aanbieder A")


@pytest.fixture
def api_a(provider_a):
    return api_for(provider_a)


@pytest.fixture
def assignment(provider_a, consultant):
    return issued_assignment(provider_a, consultant, today=timezone.localdate())


def url(assignment) -> str:
    return f"/api/v1/toewijzingen/{assignment.number}/ondersteuningsplan/"


def plan_body(api, assignment, message_id="plan-1", **extra) -> dict:
    """The results as the toewijzing lists them, each with an approach."""
    listed = api.get(f"/api/v1/toewijzingen/{assignment.number}/").json()["resultaten"]
    parts = [
        {
            "domein": item["domein"],
            "resultaat": item["resultaat"],
            "aanpak": "Wekelijks huisbezoek",
            "stappen": "1. Overzicht",
        }
        for item in listed
    ]
    return {"berichtId": message_id, "resultaten": parts, **extra}


def codes(response) -> set[str]:
    body = response.json()
    return {error["code"] for error in body.get("fouten", [])} | {body.get("code")}


def test_the_provider_submits_a_plan_and_reads_it_back(api_a, assignment):
    body = plan_body(api_a, assignment, pdf=base64.b64encode(PDF).decode())
    response = api_a.post(url(assignment), body, format="json")
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert (answer["versie"], answer["status"], answer["pdfGrootte"]) == (1, "ingediend", len(PDF))
    assert answer["resultaten"][0]["aanpak"] == "Wekelijks huisbezoek"
    plan = SupportPlan.objects.get()
    assert plan.submitted_by.provider == assignment.provider
    assert CareEvent.objects.get(message_id="plan-1").kind == CareEvent.Kind.SUPPORT_PLAN
    created = AuditEvent.objects.get(object_type="providers.supportplan", action=AuditEvent.Action.CREATE)
    assert "aanbieder" in created.actor_label
    judge_support_plan(plan, by=assignment.indication.consultant, accept=False, remark="Stappen per maand.")
    listed = api_a.get(url(assignment)).json()
    assert [(item["versie"], item["status"], item["opmerking"]) for item in listed] == [
        (1, "wijziging_gevraagd", "Stappen per maand.")
    ]


def test_the_same_message_again_gets_the_first_answer(api_a, assignment):
    body = plan_body(api_a, assignment)
    first = api_a.post(url(assignment), body, format="json")
    again = api_a.post(url(assignment), body, format="json")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert SupportPlan.objects.count() == 1
    other = api_a.post(
        url(assignment),
        {**body, "resultaten": body["resultaten"][:0], "pdf": base64.b64encode(PDF).decode()},
        format="json",
    )
    assert other.status_code == 409 and codes(other) == {"bericht_id_conflict"}
    assert SupportPlan.objects.count() == 1


def test_another_provider_gets_404(assignment, consultant):
    api_b = api_for(contracted_provider(name="Aanbieder B"))
    assert api_b.get(url(assignment)).status_code == 404
    refused = api_b.post(url(assignment), {"berichtId": "x", "pdf": base64.b64encode(PDF).decode()}, format="json")
    assert refused.status_code == 404
    assert not SupportPlan.objects.exists()


@pytest.mark.parametrize(
    "change, field, code",
    [
        ({"pdf": "bm90IGEgcGRm"}, "pdf", "not_a_pdf"),
        ({"pdf": "@@@ geen base64"}, "pdf", "invalid_base64"),
        (
            {"resultaten": [{"domein": "Financiën", "resultaat": "Onbekend", "aanpak": "x"}]},
            "resultaten",
            "unknown_result",
        ),
        (
            {"resultaten": [{"domein": "Financiën", "resultaat": "x", "aanpak": "x", "extra": 1}]},
            "resultaten.0.extra",
            "unknown_field",
        ),
        ({"resultaten": []}, None, "empty_plan"),
    ],
)
def test_bad_input_is_a_400_with_a_code_at_the_field(api_a, assignment, change, field, code):
    response = api_a.post(url(assignment), {"berichtId": "plan-bad", **change}, format="json")
    assert response.status_code == 400
    errors = response.json()["fouten"]
    assert {(error["veld"], error["code"]) for error in errors} == {(field, code)}
    assert all(error["melding"] for error in errors)
    assert not SupportPlan.objects.exists()


def test_a_plan_missing_a_result_is_refused(api_a, assignment, consultant):
    body = plan_body(api_a, assignment)
    body["resultaten"] = []
    body["pdf"] = base64.b64encode(PDF).decode()
    assert api_a.post(url(assignment), body, format="json").status_code == 201
    # Texts given: they must cover every result (the toewijzing of IB1 with financiën has one).
    partial = plan_body(api_a, assignment, message_id="plan-2")
    partial["resultaten"][0]["resultaat"] = "Iets anders"
    response = api_a.post(url(assignment), partial, format="json")
    assert response.status_code == 400 and codes(response) >= {"unknown_result"}
    assert SupportPlan.objects.count() == 1
