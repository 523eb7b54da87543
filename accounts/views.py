"""The second factor of the login: enrolment (QR code, first code, herstelcodes), verification, and
the functioneel beheerder's reset. Thin views over accounts.services and .selectors."""

import ipaddress
from base64 import b32encode
from functools import wraps
from urllib.parse import urlencode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from . import services
from .forms import CodeForm, EnrolmentForm, ResetForm
from .selectors import has_second_factor, needs_second_factor, users_with_second_factor_status

BACKUP_CODES_SESSION_KEY = "accounts_backup_codes"
# Set when the codes in the session replace earlier ones (renewal), not a first enrolment.
BACKUP_CODES_RENEWED_SESSION_KEY = "accounts_backup_codes_renewed"


def second_factor_not_required(view):
    """The view is open to a user who passed the password but not (yet) the second factor: the
    second-factor pages themselves and the logout (sddcase.middleware reads the mark)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.second_factor_required = False
    return wrapped


def client_ip(request) -> str | None:
    """The caller's address as the server saw it, for the audit trail (None when not an address)."""
    address = request.META.get("REMOTE_ADDR") or None
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


def _credentials(request) -> dict:
    # django-axes counts failures per username and address (AXES_LOCKOUT_PARAMETERS), so a wrong
    # second factor counts towards the same lockout as a wrong password.
    return {"username": request.user.get_username()}


def _locked_out(request, credentials):
    logout(request)
    return get_lockout_response(request, None, credentials)


@second_factor_not_required
def second_factor_verify(request):
    target = _next(request)
    if not needs_second_factor(request.user):
        return redirect(target)
    if not has_second_factor(request.user):
        return redirect(_with_next("accounts:second_factor_setup", target))
    credentials = _credentials(request)
    if settings.AXES_ENABLED and AxesProxyHandler.is_locked(request, credentials):
        return _locked_out(request, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify_second_factor(
                request.user, token=form.cleaned_data["code"], ip_address=client_ip(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
            # django-axes' own signal handler records the failure and marks a lockout on the request.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                return _locked_out(request, credentials)
        else:
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(target)
    return render(request, "registration/second_factor.html", {"form": form, "next": target})


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


@second_factor_not_required
def second_factor_setup(request):
    target = _next(request)
    if not needs_second_factor(request.user):
        return redirect(target)
    if has_second_factor(request.user):
        return redirect(_with_next("accounts:second_factor", target))
    device = services.start_enrolment(request.user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.confirm_enrolment(
                device, token=form.cleaned_data["code"], ip_address=client_ip(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            otp_login(request, enrolment.device)
            request.session.cycle_key()
            request.session[BACKUP_CODES_SESSION_KEY] = enrolment.backup_codes
            return redirect(_with_next("accounts:backup_codes", target))
    secret = b32encode(device.bin_key).decode().rstrip("=")
    qr_code = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return render(
        request,
        "registration/second_factor_setup.html",
        {"form": form, "next": target, "secret": _grouped(secret), "qr_code": mark_safe(qr_code)},  # noqa: S308 (our own SVG)
    )


def backup_codes(request):
    """The herstelcodes, once: right after enrolment (a reload shows them no more)."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    renewed = request.session.pop(BACKUP_CODES_RENEWED_SESSION_KEY, False)
    return render(
        request, "registration/backup_codes.html", {"codes": codes, "renewed": renewed, "next": _next(request)}
    )


def renew_backup_codes(request):
    """A new set of herstelcodes for the logged-in user, after a current code from the app; shown
    once on the herstelcodes page (the old ones are void)."""
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.renew_backup_codes(
                request.user, token=form.cleaned_data["code"], ip_address=client_ip(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            request.session[BACKUP_CODES_RENEWED_SESSION_KEY] = True
            return redirect("accounts:backup_codes")
    return render(request, "accounts/renew_backup_codes.html", {"form": form})


@permission_required(services.RESET_PERMISSION, raise_exception=True)
def second_factor_overview(request):
    return render(request, "accounts/second_factor_overview.html", {"users": users_with_second_factor_status()})


@permission_required(services.RESET_PERMISSION, raise_exception=True)
def second_factor_reset(request, user_id: int):
    person = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_second_factor(
                person, by=request.user, reason=form.cleaned_data["reason"], ip_address=client_ip(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("De tweede factor van %(name)s is hersteld. Bij het volgende inloggen stelt %(name)s een nieuwe in.")
                % {"name": person.get_full_name() or person.get_username()},
            )
            return redirect("accounts:second_factor_overview")
    return render(
        request,
        "accounts/second_factor_reset.html",
        {"person": person, "form": form, "has_second_factor": has_second_factor(person)},
    )
