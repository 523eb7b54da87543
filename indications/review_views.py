"""The team lead's pages: the four-eyes review queue and the review figures."""

from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Team

from . import selectors
from .four_eyes import REVIEW_PERMISSION

REVIEW_QUEUE_PAGE_SIZE = 20


class ReviewQueueFilter(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False,
                                  empty_label=_("alle teams"))
    min_age_days = forms.IntegerField(label=_("Wacht ten minste (dagen)"), min_value=0, max_value=365,
                                      required=False)


class ReviewFiguresFilter(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False,
                                  empty_label=_("alle teams"))
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
