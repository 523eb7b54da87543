"""The letters' pages: the PDF download (audited) and sending the verslag van het onderzoek, the
panels that list the client's letters on the client file and the beschikking page, and the
functioneel beheerder's pages of the letter templates (versioned, with a preview) and of the
municipalities' letterheads. Thin views over letters.selectors and letters.services."""

from contextlib import nullcontext

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import context as audit_context
from audit.services import client_ip
from indications import emergency_services
from indications.forms import apply_service_errors
from indications.models import Intake, Municipality
from indications.panels import PanelRequest
from indications.selectors import clients_readable_by, clients_visible_to, emergency_access_to

from . import decision_letters, kinds, selectors, services
from .forms import LetterheadForm, MunicipalityFilterForm, TemplateForm
from .models import LetterTemplate


@permission_required("letters.view_letter", raise_exception=True)
def letter_pdf(request, letter_uuid):
    """The letter's PDF exactly as sent (same bytes, same SHA-256), the download audited. Through a
    break-the-glass access in force too (reading only), recorded under the access's purpose."""
    letter = get_object_or_404(selectors.letters_of_clients(clients_readable_by(request.user)), uuid=letter_uuid)
    access = None
    if not clients_visible_to(request.user).filter(pk=letter.client_id).exists():
        access = emergency_access_to(request.user, letter.client_id)
    purpose = audit_context.purpose_of_use(emergency_services.purpose_of(access)) if access else nullcontext()
    try:
        with purpose:
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


# --------------------------------------------------------------------------------------------
# Beheer: the letter templates and the letterheads
# --------------------------------------------------------------------------------------------

EDIT_TEMPLATES = "letters.change_lettertemplate"
EDIT_LETTERHEADS = "letters.change_municipalityletterhead"


def _kind_and_municipality(kind_code: str, municipality_code: str) -> tuple[kinds.Kind, Municipality]:
    try:
        kind = kinds.get(kind_code)
    except LookupError:
        raise Http404(_("Deze soort brief bestaat niet.")) from None
    return kind, get_object_or_404(Municipality, code=municipality_code)


@permission_required(EDIT_TEMPLATES, raise_exception=True)
def template_list(request):
    """Every letter kind for each municipality, with the version its letters get now."""
    form = MunicipalityFilterForm(request.GET or None)
    municipalities = Municipality.objects.order_by("name")
    chosen = form.cleaned_data["gemeente"] if form.is_valid() else None
    rows = selectors.template_overview([chosen] if chosen else list(municipalities))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "letters/template_list.html",
        {
            "form": form,
            "rows": rows,
            "municipalities": [chosen] if chosen else municipalities,
            "may_edit_letterheads": request.user.has_perm(EDIT_LETTERHEADS),
        },
        status=status,
    )


def _render_edit(request, kind, municipality, form, *, preview=None, status=200):
    current = services.current_template(kind.code, municipality)
    versions = selectors.template_versions(kind.code, municipality)
    return render(
        request,
        "letters/template_edit.html",
        {
            "kind": kind,
            "municipality": municipality,
            "form": form,
            "current": current,
            "own": current.municipality_id == municipality.pk,
            "versions": versions,
            "placeholders": services.kind_placeholders(kind.code),
            "preview_html": preview or "",
            "may_edit_letterheads": request.user.has_perm(EDIT_LETTERHEADS),
        },
        status=status,
    )


@permission_required(EDIT_TEMPLATES, raise_exception=True)
def template_edit(request, kind_code, municipality_code):
    """Edit a kind's texts for one municipality: "Voorbeeld" shows the letter on sample values
    (nothing stored), "Opslaan" saves a new version."""
    kind, municipality = _kind_and_municipality(kind_code, municipality_code)
    if request.method != "POST":
        current = services.current_template(kind.code, municipality)
        return _render_edit(
            request, kind, municipality, TemplateForm(initial={"subject": current.subject, "body": current.body})
        )
    form = TemplateForm(request.POST)
    if form.is_valid():
        texts = {"subject": form.cleaned_data["subject"], "body": form.cleaned_data["body"]}
        try:
            if request.POST.get("actie") == "opslaan":
                template = services.edit_template(kind.code, municipality=municipality, by=request.user, **texts)
            else:
                preview = services.preview_letter_html(kind.code, municipality=municipality, **texts)
                # The letter's <style> blocks run in the iframe under this page's CSP: they carry its nonce.
                preview = preview.replace("<style>", f'<style nonce="{request.csp_nonce}">')
                return _render_edit(request, kind, municipality, form, preview=preview)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Versie %(version)s is opgeslagen. Nieuwe brieven krijgen deze tekst.")
                % {"version": template.version},
            )
            return redirect("letters:template_edit", kind_code=kind.code, municipality_code=municipality.code)
    return _render_edit(request, kind, municipality, form, status=400)


@require_POST
@permission_required(EDIT_TEMPLATES, raise_exception=True)
def template_preview_pdf(request, kind_code, municipality_code):
    """The texts on the form as the PDF the client would get, on sample values (nothing stored)."""
    kind, municipality = _kind_and_municipality(kind_code, municipality_code)
    form = TemplateForm(request.POST)
    if form.is_valid():
        try:
            pdf = services.preview_letter_pdf(
                kind.code,
                municipality=municipality,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="voorbeeld-{kind.code}-{municipality.code}.pdf"'
            response["Cache-Control"] = "private, no-store"
            return response
    return _render_edit(request, kind, municipality, form, status=400)


@require_POST
@permission_required(EDIT_TEMPLATES, raise_exception=True)
def template_restore(request, kind_code, municipality_code, version):
    """Put an earlier version's texts back, as a new version."""
    kind, municipality = _kind_and_municipality(kind_code, municipality_code)
    old = get_object_or_404(LetterTemplate, kind=kind.code, municipality=municipality, version=version)
    template = services.restore_template_version(old, by=request.user)
    messages.success(
        request,
        _("De tekst van versie %(old)s is teruggezet als versie %(new)s.")
        % {"old": old.version, "new": template.version},
    )
    return redirect("letters:template_edit", kind_code=kind.code, municipality_code=municipality.code)


@permission_required(EDIT_LETTERHEADS, raise_exception=True)
def letterhead_edit(request, municipality_code):
    """The municipality's letterhead, bezwaar address and signature (the mandated officer)."""
    municipality = get_object_or_404(Municipality, code=municipality_code)
    letterhead = services.ensure_letterhead(municipality)
    form = LetterheadForm(request.POST or None, instance=letterhead)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_letterhead(municipality, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Het briefhoofd van %(name)s is opgeslagen. Nieuwe brieven krijgen het; "
                    "verstuurde brieven blijven zoals ze zijn."
                )
                % {"name": municipality.name},
            )
            return redirect(reverse("letters:letterhead_edit", args=[municipality.code]))
    status = 400 if form.is_bound else 200
    return render(request, "letters/letterhead_edit.html", {"municipality": municipality, "form": form}, status=status)
