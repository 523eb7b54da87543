"""The four-eyes pages: the team lead's review queue and review figures, and the actions on the
beschikking page around a review (submit, approve or reject, ask, answer, reopen), which come back
to that page through views._indication_action."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import Team

from . import four_eyes, selectors
from .forms import ReviewDecisionForm
from .four_eyes import REVIEW_PERMISSION
from .models import ReviewQuestion
from .views import _indication_action, requires

REVIEW_QUEUE_PAGE_SIZE = 20


class ReviewQueueFilter(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("alle teams")
    )
    min_age_days = forms.IntegerField(label=_("Wacht ten minste (dagen)"), min_value=0, max_value=365, required=False)


class ReviewFiguresFilter(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("alle teams")
    )
    period_days = forms.TypedChoiceField(
        label=_("Periode"),
        choices=[(30, _("laatste 30 dagen")), (90, _("laatste 90 dagen")), (365, _("laatste jaar"))],
        coerce=int,
        initial=90,
        required=False,
    )


@permission_required(REVIEW_PERMISSION, raise_exception=True)
def review_queue(request):
    form = ReviewQueueFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    reviews = selectors.review_queue(
        request.user, team=filters.get("team"), min_age_days=filters.get("min_age_days"), now=now
    )
    # A long queue is paged (?pagina=), the filters kept: a fixed number of queries per page.
    page = Paginator(reviews, REVIEW_QUEUE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "indications/review_queue.html", {"form": form, "reviews": page, "now": now})


@permission_required("indications.view_review_figures", raise_exception=True)
def review_figures(request):
    form = ReviewFiguresFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    days = filters.get("period_days") or 90
    figures = selectors.review_figures(since=timezone.now() - timedelta(days=days), team=filters.get("team"))
    return render(request, "indications/review_figures.html", {"form": form, "figures": figures, "days": days})


# --------------------------------------------------------------------------------------------
# Four eyes: submit, approve, reject, ask, answer, reopen
# --------------------------------------------------------------------------------------------


@require_POST
@requires("indications.change_indication")
def indication_submit_for_review(request, indication_uuid):
    def submit(indication, data):
        four_eyes.submit_for_review(indication, by=request.user)
        messages.success(request, gettext("De indicatie is ter beoordeling aangeboden aan een teamleider."))

    return _indication_action(request, indication_uuid, "submit_form", submit)


@require_POST
@requires(four_eyes.REVIEW_PERMISSION)
def indication_review(request, indication_uuid):
    def decide(indication, data):
        if data["decision"] == ReviewDecisionForm.APPROVE:
            four_eyes.approve_indication(indication, by=request.user, motivation=data["motivation"])
            messages.success(request, gettext("Goedgekeurd. De consulent kan de beschikking vaststellen."))
        else:
            four_eyes.reject_indication(indication, by=request.user, motivation=data["motivation"])
            messages.success(request, gettext("Teruggestuurd naar de consulent."))

    return _indication_action(request, indication_uuid, "review_decision_form", decide)


@require_POST
@requires(four_eyes.REVIEW_PERMISSION)
def indication_review_question(request, indication_uuid):
    def ask(indication, data):
        four_eyes.ask_review_question(indication, by=request.user, question=data["question"])
        messages.success(request, gettext("De vraag is aan de consulent gesteld."))

    return _indication_action(request, indication_uuid, "question_form", ask)


@require_POST
@requires("indications.change_indication")
def indication_review_answer(request, indication_uuid, question_pk):
    def answer(indication, data):
        question = get_object_or_404(ReviewQuestion, pk=question_pk, review__indication=indication)
        four_eyes.answer_review_question(question, by=request.user, answer=data["answer"])
        messages.success(request, gettext("Het antwoord is vastgelegd."))

    return _indication_action(request, indication_uuid, "answer_form", answer, row=question_pk)


@require_POST
@requires("indications.change_indication")
def indication_reopen(request, indication_uuid):
    def reopen(indication, data):
        four_eyes.reopen_concept(indication, by=request.user, reason=data["reason"])
        messages.success(
            request, gettext("De indicatie is weer een concept; na wijziging volgt een nieuwe beoordeling.")
        )

    return _indication_action(request, indication_uuid, "reopen_form", reopen)
