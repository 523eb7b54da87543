"""The letters' pages: the PDF download (audited) and sending the verslag van het onderzoek, and the
panels that list the client's letters on the client file and the beschikking page."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import client_ip
from indications.models import Intake
from indications.panels import PanelRequest
from indications.selectors import clients_visible_to

from . import decision_letters, selectors, services


def _visible_letter(request, letter_uuid):
    return get_object_or_404(selectors.letters_of_clients(clients_visible_to(request.user)), uuid=letter_uuid)


@permission_required("letters.view_letter", raise_exception=True)
def letter_pdf(request, letter_uuid):
    """The letter's PDF exactly as sent (same bytes, same SHA-256), the download audited."""
    letter = _visible_letter(request, letter_uuid)
    try:
        pdf = services.open_letter(letter, by=request.user, ip_address=client_ip(request))
    except services.LetterTampered:
        raise Http404(_("Het opgeslagen bestand van deze brief is niet meer gelijk aan het verstuurde.")) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.kenmerk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@permission_required("letters.add_letter", raise_exception=True)
def send_verslag(request, intake_uuid):
    """Send the verslag van het onderzoek to the client (art. 2.3.2 lid 8 Wmo 2015)."""
    intake = get_object_or_404(
        Intake.objects.select_related("melding__client").filter(melding__client__in=clients_visible_to(request.user)),
        uuid=intake_uuid,
    )
    client = intake.melding.client
    try:
        letter = decision_letters.issue_verslag(intake, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Het verslag is als brief %(kenmerk)s verstuurd.") % {"kenmerk": letter.kenmerk})
    return redirect("indications:client_file", client_uuid=client.uuid)


def client_letters_panel(panel: PanelRequest) -> dict:
    """The client file: the client's letters, and the onderzoeken whose verslag can be sent."""
    if not panel.request.user.has_perm("letters.view_letter"):
        return {}
    client = panel.subject
    return {
        "client_letters": selectors.letters_of_client(client),
        "verslag_intakes": selectors.intakes_with_verslag(client)
        if panel.request.user.has_perm("letters.add_letter")
        else [],
    }


def indication_letters_panel(panel: PanelRequest) -> dict:
    """The beschikking page: the letters about this beschikking."""
    if not panel.request.user.has_perm("letters.view_letter"):
        return {}
    return {"indication_letters": selectors.letters_about(panel.subject)}
