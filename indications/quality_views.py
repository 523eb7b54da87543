"""The team lead's quality-check pages: draw a sample and see the open checks, answer the checklist
beside the beschikking, and the findings per consultant over time."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import record_read
from ui import charts

from . import quality, selectors
from .forms import apply_service_errors
from .quality_forms import DrawSampleForm, QualityCheckForm

OVERVIEW_QUARTERS = 8


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@require_http_methods(["GET", "POST"])
@permission_required(quality.QUALITY_PERMISSION, raise_exception=True)
def quality_checks(request):
    today = timezone.localdate()
    initial = {"period_start": _quarter_start(today), "period_end": today}
    form = DrawSampleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sample = quality.draw_sample(by=request.user, today=today, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Steekproef getrokken: %(count)s beschikkingen (startwaarde %(seed)s).")
                % {"count": sample.checks.count(), "seed": sample.seed},
            )
            return redirect("indications:quality_checks")
    checks = quality.open_checks(request.user)
    return render(request, "indications/quality_checks.html", {"form": form, "checks": checks})


@require_http_methods(["GET", "POST"])
@permission_required(quality.QUALITY_PERMISSION, raise_exception=True)
def quality_check(request, check_uuid):
    check = get_object_or_404(quality.checks_for(request.user).prefetch_related("answers__question"), uuid=check_uuid)
    form = QualityCheckForm(request.POST or None, questions=quality.active_questions(), check=check)
    if request.method == "POST" and check.is_open and form.is_valid():
        complete = "afronden" in request.POST
        try:
            quality.record_answers(
                check,
                by=request.user,
                answers=form.answers(),
                conclusion=form.cleaned_data["conclusion"],
                complete=complete,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if complete:
                messages.success(request, _("De kwaliteitscontrole is afgerond."))
                return redirect("indications:quality_checks")
            messages.success(request, _("De antwoorden zijn opgeslagen."))
            return redirect("indications:quality_check", check_uuid=check.uuid)
    indication = selectors.indication_detail(check.indication_id)
    record_read(request, indication, client_id=indication.client_id, summary="beschikking ingezien (kwaliteit)")
    context = {
        "check": check,
        "indication": indication,
        "client": indication.client,
        "cost": selectors.beschikking_cost(indication),
        "form": form,
        "answers": list(check.answers.all()) if not check.is_open else [],
    }
    return render(request, "indications/quality_check.html", context)


@permission_required(quality.QUALITY_PERMISSION, raise_exception=True)
def quality_overview(request):
    today = timezone.localdate()
    months = today.year * 12 + (today.month - 1) // 3 * 3 - 3 * (OVERVIEW_QUARTERS - 1)
    first = date(months // 12, months % 12 + 1, 1)
    rows = quality.findings(request.user, since=first)
    questions = list(quality.active_questions())
    quarters = sorted({row.quarter for row in rows})
    labels = [quality.quarter_label(quarter) for quarter in quarters]
    consultants = []
    for row in rows:
        if row.consultant not in consultants:
            consultants.append(row.consultant)
    shares = {}
    for row in rows:
        meets = sum(figure.meets for figure in row.questions.values())
        applicable = sum(figure.applicable for figure in row.questions.values())
        shares[(row.consultant.pk, row.quarter)] = 100 * meets / applicable if applicable else None
    chart = charts.line_chart(
        _("Aandeel ‘voldoet’ per consulent per kwartaal"),
        labels,
        [
            charts.Series(
                consultant.get_full_name() or consultant.username,
                [shares.get((consultant.pk, quarter)) for quarter in quarters],
            )
            for consultant in consultants
        ],
        kind="pct",
    )
    table_rows = [
        {
            "row": row,
            "overall": shares[(row.consultant.pk, row.quarter)],
            "cells": [row.questions.get(question.pk) for question in questions],
        }
        for row in rows
    ]
    context = {"rows": table_rows, "questions": questions, "chart": chart if rows else None, "since": first}
    return render(request, "indications/quality_overview.html", context)
