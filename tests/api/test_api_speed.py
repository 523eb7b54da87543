"""The provider API's reads at speed (issue 20): only the columns an answer shows are loaded (never a
user's password hash), a fixed number of queries per list and detail whatever their size, the fast
serialiser gives exactly what DRF's generic one gives (on a model object and on the plain values a
list page reads), and the fixed per-request work (key lookup,
throttling, audit) runs no extra queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers

from api.serializers import AssignmentSerializer
from api.views import AssignmentFilter
from audit.models import AuditEvent
from providers import services
from providers.models import Assignment
from providers.selectors import assignment_rows, assignments_for
from tests.factories import AssignmentFactory, contracted_provider, issued_assignment

from .test_provider_api import api_for

pytestmark = pytest.mark.django_db

# The token lookup, count, ids, rows, results (prefetch), the audit event's INSERT.
LIST_QUERIES = 6
# The token lookup, the row joined with its results, the audit event's INSERT.
DETAIL_QUERIES = 3


@pytest.fixture
def provider():
    return contracted_provider(name="Aanbieder Snel")


@pytest.fixture
def api(provider):
    client = api_for(provider)
    client.get("/api/v1/toewijzingen/")  # the key's last use is written at most once a minute: now
    return client


def test_the_list_selects_no_password_hash_and_no_unshown_column(api, provider, consultant):
    issued_assignment(provider, consultant, today=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/toewijzingen/").json()["count"] == 1
    statements = "\n".join(query["sql"] for query in queries)
    assert '"auth_user"."password"' not in statements
    assert '"auth_user"."username"' in statements  # the contact's name falls back on it
    for unshown in ('"indications_client"."street"', '"indications_indication"."refusal_motivation"'):
        assert unshown not in statements


def test_the_detail_selects_no_password_hash(api, provider, consultant):
    assignment = issued_assignment(provider, consultant, today=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/api/v1/toewijzingen/{assignment.number}/").status_code == 200
    assert all('"auth_user"."password"' not in query["sql"] for query in queries)


@pytest.mark.parametrize("rows", [1, 4])
def test_the_list_runs_the_same_queries_whatever_its_size(api, provider, consultant, rows, django_assert_num_queries):
    for days in range(rows):
        issued_assignment(provider, consultant, days_ago=10 + days, today=timezone.localdate())
    with django_assert_num_queries(LIST_QUERIES):
        response = api.get("/api/v1/toewijzingen/")
    assert response.json()["count"] == rows
    assert all(item["resultaten"] for item in response.json()["results"])  # results shown, no query each


def test_a_detail_read_runs_three_queries(api, provider, consultant, django_assert_num_queries):
    assignment = issued_assignment(provider, consultant, today=timezone.localdate())
    with django_assert_num_queries(DETAIL_QUERIES):
        response = api.get(f"/api/v1/toewijzingen/{assignment.number}/")
    assert response.json()["toewijzingnummer"] == assignment.number
    assert AuditEvent.objects.filter(object_id=assignment.number, action=AuditEvent.Action.READ).exists()


def test_only_a_list_that_asks_for_a_filter_builds_the_filterset(api, provider, consultant, monkeypatch):
    assignment = issued_assignment(provider, consultant, today=timezone.localdate())
    built = []
    original = AssignmentFilter.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(AssignmentFilter, "__init__", counting)
    assert api.get("/api/v1/toewijzingen/", {"page": 1}).json()["count"] == 1
    assert api.get(f"/api/v1/toewijzingen/{assignment.number}/").status_code == 200
    assert built == []
    assert api.get("/api/v1/toewijzingen/", {"product": "IB0"}).json()["count"] == 0
    assert api.get("/api/v1/toewijzingen/", {"product": assignment.product.code}).json()["count"] == 1
    assert len(built) == 2


@pytest.mark.parametrize("results", [[], ["financien"], ["huisvesting", "sociaal-netwerk", "financien"]])
def test_the_detail_shows_the_results_as_the_list_does_in_their_order(api, provider, results):
    """The detail reads its row joined with the results (one row per result); the list reads the
    results apart: the same results, in IndicationResult's order (the domain's, then the entry's)."""
    assignment = AssignmentFactory(provider=provider, indication__results=results)
    listed = api.get("/api/v1/toewijzingen/").json()["results"]
    detail = api.get(f"/api/v1/toewijzingen/{assignment.number}/").json()
    assert [detail] == listed
    ordered = assignment.indication.results.select_related("result__domain")
    assert [item["domein"] for item in detail["resultaten"]] == [r.result.domain.name for r in ordered]
    assert len(detail["resultaten"]) == len(results)


def test_an_unknown_number_costs_the_key_lookup_the_lookup_and_the_audit_insert(api, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert api.get("/api/v1/toewijzingen/B999999999/").status_code == 404


def _generic(assignment) -> dict:
    """What DRF's own field-by-field walk gives for the serializer's declared fields."""
    return serializers.ModelSerializer.to_representation(AssignmentSerializer(), assignment)


def _as_row(provider, assignment) -> dict:
    """What the serializer gives for the assignment read as a list page reads it (plain values)."""
    (row,) = assignment_rows(assignments_for(provider), [assignment.pk])
    return AssignmentSerializer(row).data


@pytest.mark.parametrize(
    "traits",
    [{}, {"gestart": True}, {"gestopt": True}, {"beeindigd": True}, {"ingetrokken": True}, {"end_date": None}],
)
def test_the_fast_serialiser_gives_what_the_generic_one_gives(provider, traits):
    made = AssignmentFactory(provider=provider, **traits)
    assignment = assignments_for(provider).get(pk=made.pk)
    assert AssignmentSerializer(assignment).data == _generic(assignment) == _as_row(provider, assignment)


def test_the_fast_serialiser_on_an_issued_assignment_with_a_primary_domain(provider, consultant):
    made = issued_assignment(provider, consultant, today=timezone.localdate())
    assignment = assignments_for(provider).get(pk=made.pk)
    assert assignment.indication.results.all(), "the beschikking has results"
    data = AssignmentSerializer(assignment).data
    assert data == _generic(assignment) == _as_row(provider, assignment)
    assert data["contactpersoon"]["naam"] == "Fatima El Amrani"


def test_the_fast_serialiser_without_a_primary_domain_or_contact_name(provider):
    made = AssignmentFactory(provider=provider, indication__primary_domain=None)
    made.indication.consultant.first_name = made.indication.consultant.last_name = ""
    made.indication.consultant.save()
    assignment = assignments_for(provider).get(pk=made.pk)
    data = AssignmentSerializer(assignment).data
    assert data == _generic(assignment) == _as_row(provider, assignment)
    assert data["primairLeefdomein"] is None
    assert data["contactpersoon"]["naam"] == assignment.indication.consultant.username


def test_an_answer_after_a_message_shows_what_the_list_and_the_detail_show(api, provider, consultant):
    """The message endpoints answer with the same serializer on a fully loaded model object; the list
    and the detail read plain values (providers.selectors.assignment_rows / assignment_row): all
    three the same."""
    assignment = issued_assignment(provider, consultant, today=timezone.localdate())
    response = api.post(
        f"/api/v1/toewijzingen/{assignment.number}/start/",
        {"berichtId": "snel-1", "startdatum": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.content
    listed = api.get("/api/v1/toewijzingen/").json()["results"][0]
    assert response.json() == listed == api.get(f"/api/v1/toewijzingen/{assignment.number}/").json()
    assert listed["status"] == "gestart"


def test_a_revoked_key_is_refused_at_once(api, provider):
    token = provider.api_tokens.get()
    services.revoke_api_token(token, by=None)
    assert api.get("/api/v1/toewijzingen/").status_code == 401


def test_the_list_never_loads_another_providers_rows(api, provider, consultant):
    other = contracted_provider(name="Aanbieder Ander")
    issued_assignment(other, consultant, today=timezone.localdate())
    assert api.get("/api/v1/toewijzingen/").json()["count"] == 0
    assert Assignment.objects.count() == 1
