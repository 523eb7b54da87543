"""Signal pages: thin views over selectors (reads) and services.move_signal (the one write)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import clients_visible_to, municipalities_of
from indications.models import Municipality
from indications.views import requires

from . import selectors
from .forms import MoveSignalForm
from .services import move_signal


def _is_team_lead(user) -> bool:
    return user.has_perm("indications.review_indication")


@requires("signals.change_signal")
def signal_list(request):
    team_view = _is_team_lead(request.user) and request.GET.get("weergave") != "eigen"
    everything = request.GET.get("alle") == "1"
    signals = selectors.signals_for(request.user, team_view=team_view, everything=everything)
    today = timezone.localdate()
    return render(request, "signals/signal_list.html", {
        "groups": selectors.grouped_by_type(signals, today=today), "team_view": team_view, "everything": everything,
        "is_team_lead": _is_team_lead(request.user), "today": today,
    })


@require_POST
@requires("signals.change_signal")
def signal_move(request, pk: int):
    signal = get_object_or_404(selectors.visible_signal(request.user, pk))
    form = MoveSignalForm(request.POST)
    if form.is_valid():
        try:
            move_signal(signal, to_status=form.cleaned_data["to_status"], by=request.user,
                        note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Signaal bijgewerkt."))
    else:
        messages.error(request, _("Kies in behandeling of opgelost."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "signals:list")


@requires("indications.view_client")
def client_stacking(request, client_uuid):
    client = get_object_or_404(clients_visible_to(request.user), uuid=client_uuid)
    today = timezone.localdate()
    bars, first, last = selectors.stacking_timeline(client, today=today)
    return render(request, "signals/client_stacking.html", {
        "client": client, "bars": bars, "first": first, "last": last, "today": today,
    })


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
    return render(request, "signals/stacking_overview.html", {
        "rows": selectors.stacking_overview(today=today, municipalities=municipalities), "today": today,
    })
