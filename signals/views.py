"""Signal pages: thin views over selectors (reads) and services.move_signal (the one write)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_read
from indications.forms import apply_service_errors
from indications.models import Municipality
from indications.selectors import clients_visible_to, municipalities_of
from indications.views import requires
from ui.reporting import data_freshness, reporting_reads

from . import selectors
from .forms import MoveSignalForm
from .models import Signal, SignalType
from .services import move_signal


def _is_team_lead(user) -> bool:
    return user.has_perm("indications.review_indication")


SIGNAL_PAGE_SIZE = 25


def _move_form(signal: Signal, data=None) -> MoveSignalForm:
    # Every row has its own form: its own ids, so an error can stand next to its row.
    return MoveSignalForm(data, auto_id=f"signaal-{signal.pk}_%s")


def _move(request, signal: Signal) -> MoveSignalForm | None:
    """Apply one row's form; None when the signal moved, else the form with its errors."""
    form = _move_form(signal, request.POST)
    if form.is_valid():
        try:
            move_signal(
                signal, to_status=form.cleaned_data["to_status"], by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Signaal bijgewerkt."))
            return None
    return form


def _signal_page(request, *, failed: tuple[int, MoveSignalForm] | None = None):
    """The signals, by type, paginated; `failed` (signal pk, form) puts that row's form back with its
    errors. Filter by type with ?soort=, page with ?pagina=."""
    team_view = _is_team_lead(request.user) and request.GET.get("weergave") != "eigen"
    everything = request.GET.get("alle") == "1"
    signals = selectors.signals_for(request.user, team_view=team_view, everything=everything)
    counts = selectors.counts_by_type(signals)
    kind = request.GET.get("soort")
    if kind in SignalType.values:
        signals = signals.filter(type=kind)
    else:
        kind = None
    page = Paginator(signals, SIGNAL_PAGE_SIZE).get_page(request.GET.get("pagina"))
    today = timezone.localdate()
    for signal in page:
        signal.move_form = failed[1] if failed and failed[0] == signal.pk else _move_form(signal)
    failed_form = failed[1] if failed and any(signal.pk == failed[0] for signal in page) else None
    if failed and failed_form is None:
        # The row is no longer on this page (the list changed meanwhile): say so at the top instead.
        for errors in failed[1].errors.values():
            for message in errors:
                messages.error(request, message)
    return render(
        request,
        "signals/signal_list.html",
        {
            "groups": selectors.grouped_by_type(page, today=today),
            "page": page,
            "today": today,
            "counts": counts,
            "kind": kind,
            "total": sum(row.total for row in counts),
            "team_view": team_view,
            "everything": everything,
            "is_team_lead": _is_team_lead(request.user),
            "failed_form": failed_form,
        },
    )


@requires("signals.change_signal")
def signal_list(request):
    """The signals page; each row's form posts back here (with the page's query string), so a
    refused move comes back next to its row."""
    if request.method == "POST":
        pk = request.POST.get("signaal", "")
        signal = get_object_or_404(selectors.visible_signal(request.user, int(pk) if pk.isdigit() else 0))
        form = _move(request, signal)
        if form is None:
            return redirect(request.get_full_path())
        return _signal_page(request, failed=(signal.pk, form))
    return _signal_page(request)


@require_POST
@requires("signals.change_signal")
def signal_move(request, pk: int):
    """One signal's move at its own address (for links from elsewhere): back to `next` when done,
    or the signals page with the error at the signal's row."""
    signal = get_object_or_404(selectors.visible_signal(request.user, pk))
    form = _move(request, signal)
    if form is not None:
        return _signal_page(request, failed=(signal.pk, form))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "signals:list")


@requires("indications.view_client")
def client_stacking(request, client_uuid):
    client = get_object_or_404(clients_visible_to(request.user), uuid=client_uuid)
    record_read(request, client, client_id=client.pk, summary="zorgstapeling ingezien")
    today = timezone.localdate()
    bars, first, last = selectors.stacking_timeline(client, today=today)
    return render(
        request,
        "signals/client_stacking.html",
        {
            "client": client,
            "bars": bars,
            "first": first,
            "last": last,
            "today": today,
        },
    )


@reporting_reads
def stacking_overview(request):
    user = request.user
    if not (user.has_perm("indications.view_management_information") or _is_team_lead(user)):
        raise PermissionDenied
    # Contract management looks at the whole region; a team lead at the team's municipalities.
    if user.has_perm("indications.view_management_information"):
        municipalities = Municipality.objects.all()
    else:
        municipalities = municipalities_of(user)
    today = timezone.localdate()
    return render(
        request,
        "signals/stacking_overview.html",
        {
            "rows": selectors.stacking_overview(today=today, municipalities=municipalities),
            "today": today,
            "freshness": data_freshness(),
        },
    )
