"""The provider domain's panels on the case file's pages (see indications.panels), registered in
ProvidersConfig.ready(): the open verzoeken om wijziging on the worklist, the toewijzingen on the
client file, and on the beschikking page the toewijzingen with their care events, verzoeken om
wijziging and ondersteuningsplannen, the forms to answer and judge each and the form to change provider.

The forms post to this app's views (providers.views), which come back to the beschikking page with
a failed form through indications.views.render_indication_detail.
"""

from collections.abc import Mapping

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects

from indications.panels import PanelRequest
from indications.selectors import clients_visible_to
from indications.views import WORKLIST_PAGE_SIZE

from . import support_plans
from .forms import AnswerChangeRequestForm, ChangeProviderForm, JudgeSupportPlanForm
from .models import Assignment, AssignmentRequest, ChangeRequest, SupportPlan

# The worklist's query parameter of the page of verzoeken om wijziging.
CHANGE_REQUESTS_PARAM = "wijzigingsverzoeken"
# The beschikking page's names of the failed forms (indications.views.render_indication_detail).
CHANGE_PROVIDER_FORM = "change_provider_form"
ANSWER_FORM = "change_request_answer_form"
JUDGE_PLAN_FORM = "support_plan_judge_form"


def change_provider_form(data=None, *, initial=None) -> ChangeProviderForm:
    """The change-of-provider form of the beschikking page, with its page-unique ids."""
    return ChangeProviderForm(data, auto_id="aanbieder_%s", initial=initial)


def answer_form(change_request_pk: int, data=None) -> AnswerChangeRequestForm:
    """The form that answers one verzoek om wijziging, with ids of its own row."""
    return AnswerChangeRequestForm(data, auto_id=f"verzoek-{change_request_pk}_%s")


def judge_plan_form(plan_pk: int, data=None) -> JudgeSupportPlanForm:
    """The form that judges one version of an ondersteuningsplan, with ids of its own."""
    return JudgeSupportPlanForm(data, auto_id=f"plan-{plan_pk}_%s")


def open_change_requests_for(user):
    """The open verzoeken om wijziging on the beschikkingen of this consultant, oldest first."""
    return (
        ChangeRequest.objects.filter(assignment__indication__consultant=user, status=ChangeRequest.Status.OPEN)
        .select_related("assignment__indication__client", "assignment__provider", "requested_product")
        .order_by("created_at")
    )


def worklist_panel(panel: PanelRequest) -> Mapping[str, object]:
    page = Paginator(open_change_requests_for(panel.subject), WORKLIST_PAGE_SIZE).get_page(
        panel.request.GET.get(CHANGE_REQUESTS_PARAM)
    )
    return {"change_requests": page, "change_requests_param": CHANGE_REQUESTS_PARAM}


# The worklist's query parameter of the page of verzoeken om toewijzing.
ASSIGNMENT_REQUESTS_PARAM = "toewijzingsverzoeken"


def open_assignment_requests_for(user):
    """The open verzoeken om toewijzing (WMO315) for the clients this user may see, and those for a
    BSN that is not a client of ours (someone must answer them), oldest first."""
    return (
        AssignmentRequest.objects.filter(status=AssignmentRequest.Status.OPEN)
        .filter(Q(client__in=clients_visible_to(user)) | Q(client__isnull=True))
        .select_related("provider", "client", "product")
        .order_by("created_at", "id")
    )


def worklist_assignment_requests_panel(panel: PanelRequest) -> Mapping[str, object]:
    page = Paginator(open_assignment_requests_for(panel.subject), WORKLIST_PAGE_SIZE).get_page(
        panel.request.GET.get(ASSIGNMENT_REQUESTS_PARAM)
    )
    return {"assignment_requests": page, "assignment_requests_param": ASSIGNMENT_REQUESTS_PARAM}


def client_file_panel(panel: PanelRequest) -> Mapping[str, object]:
    """The toewijzingen of every indication on the file, in one query."""
    prefetch_related_objects(
        list(panel.subject.indications.all()),
        Prefetch("assignments", queryset=Assignment.objects.select_related("provider")),
    )
    return {}


def indication_detail_panel(panel: PanelRequest) -> Mapping[str, object]:
    indication = panel.subject
    prefetch_related_objects(
        [indication],
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("provider", "product")
            .prefetch_related(
                "care_events",
                Prefetch(
                    "change_requests",
                    queryset=ChangeRequest.objects.select_related("requested_product", "answered_by", "follow_up"),
                ),
                Prefetch(
                    "support_plans",
                    queryset=SupportPlan.objects.select_related("judged_by")
                    .prefetch_related("parts__indication_result__result__domain")
                    .order_by("-version"),
                ),
            )
            .order_by("start_date", "id"),
        ),
    )
    for assignment in indication.assignments.all():
        for change in assignment.change_requests.all():
            change.answer_form = panel.failed.get((ANSWER_FORM, change.pk)) or answer_form(change.pk)
        assignment.support_plan_due = support_plans.due_date(assignment)
        for plan in assignment.support_plans.all():
            if plan.can_be_judged:
                plan.judge_form = panel.failed.get((JUDGE_PLAN_FORM, plan.pk)) or judge_plan_form(plan.pk)
    return {
        CHANGE_PROVIDER_FORM: panel.failed.get(CHANGE_PROVIDER_FORM)
        or change_provider_form(initial={"on": panel.today}),
    }
