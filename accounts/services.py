"""The second factor of a user's login (django-otp): enrolment, verification and a reset by a
functioneel beheerder. Every change is audited, through the hook accounts.hooks.second_factor_event
(the audit trail is a sibling app: see that module); the views call these functions."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .hooks import SecondFactorEvent, second_factor_event
from .selectors import has_second_factor

BACKUP_CODE_COUNT = 10
# Who may reset another user's second factor: the functioneel beheerder (accounts.roles), who manages
# the accounts already; a superuser's only by a superuser, as in the admin (accounts.admin).
RESET_PERMISSION = "auth.change_user"


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    backup_codes: list[str]


def normalised(token: str) -> str:
    """A code as typed: without spaces, herstelcodes in lower case."""
    return "".join(str(token).split()).lower()


def start_enrolment(user) -> TOTPDevice:
    """The unconfirmed authenticator-app device the user enrols; the same one on a reload, so the QR
    code already scanned stays valid."""
    with transaction.atomic():
        # One enrolment at a time per user (two tabs would otherwise each make a device).
        get_user_model().objects.select_for_update().get(pk=user.pk)
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=_("Authenticator-app"), confirmed=False)
    return device


def confirm_enrolment(device: TOTPDevice, *, token: str, ip_address: str | None = None) -> Enrolment:
    """Confirm the authenticator app with its first code and give the user BACKUP_CODE_COUNT
    herstelcodes (each usable once; shown once, stored as django-otp stores them)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or has_second_factor(device.user):
            raise ValidationError({"code": _("De tweede factor is al ingesteld.")})
        # A wrong code is throttled by django-otp; its counter must survive, so the refusal is raised
        # after this block, not inside it.
        throttled = not device.verify_is_allowed()[0]
        accepted = not throttled and device.verify_token(normalised(token))
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            backup = StaticDevice.objects.create(user=device.user, name=_("Herstelcodes"), confirmed=True)
            codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
            StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
            second_factor_event(
                SecondFactorEvent(
                    actor=device.user,
                    action="create",
                    user=device.user,
                    summary=_("Tweede factor ingesteld: authenticator-app en %(count)d herstelcodes")
                    % {"count": BACKUP_CODE_COUNT},
                    changes={"second_factor": "enrolled", "backup_codes": BACKUP_CODE_COUNT},
                    ip_address=ip_address,
                )
            )
    if not accepted:
        raise ValidationError({"code": _wrong_code(throttled=throttled)})
    return Enrolment(device=device, backup_codes=codes)


def verify_second_factor(user, *, token: str, ip_address: str | None = None) -> Device:
    """The device that accepts the code: six digits from the authenticator app, or a herstelcode
    (used up by this). A wrong or throttled code raises ValidationError at the field `code`, and is
    recorded as a refused login in the audit trail."""
    token = normalised(token)
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    device = None
    throttled = False
    with transaction.atomic():
        for candidate in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            allowed, _data = candidate.verify_is_allowed()
            if not allowed:
                throttled = True
            elif candidate.verify_token(token):
                device = candidate
                break
        if device is not None:
            kind = _("herstelcode") if model is StaticDevice else _("authenticator-app")
            second_factor_event(
                SecondFactorEvent(
                    actor=user,
                    action="transition",
                    user=user,
                    summary=_("Ingelogd met de tweede factor (%(kind)s)") % {"kind": kind},
                    changes={"second_factor": "verified", "device": device.persistent_id},
                    ip_address=ip_address,
                )
            )
    if device is None:
        second_factor_event(
            SecondFactorEvent(
                actor=user,
                action="rejected",
                user=user,
                summary=_("Tweede factor geweigerd: onjuiste code"),
                changes={"second_factor": "refused", "throttled": throttled},
                ip_address=ip_address,
            )
        )
        raise ValidationError({"code": _wrong_code(throttled=throttled)})
    return device


def _wrong_code(*, throttled: bool) -> str:
    """django-otp throttles a device after a wrong code (1, 2, 4 ... seconds): say so when it did."""
    if throttled:
        return _("Te veel onjuiste codes achter elkaar. Wacht even en probeer het dan opnieuw.")
    return _("De code klopt niet. Controleer de code en probeer het opnieuw.")


def reset_second_factor(user, *, by, reason: str, ip_address: str | None = None) -> int:
    """Delete the user's second factor (the authenticator app and the herstelcodes), so that the user
    enrols again at the next login. Only by a functioneel beheerder, with a reason in the audit trail.
    Returns the number of devices deleted."""
    reason = reason.strip()
    if not by.has_perm(RESET_PERMISSION):
        raise PermissionDenied
    if user.is_superuser and not by.is_superuser:
        raise ValidationError(_("Alleen een superuser kan de tweede factor van een superuser herstellen."))
    if not reason:
        raise ValidationError({"reason": _("Geef de reden van het herstel.")})
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        deleted = 0
        for model in (TOTPDevice, StaticDevice):
            _total, per_model = model.objects.filter(user=user).delete()  # a device's codes go with it
            deleted += per_model.get(model._meta.label, 0)
        second_factor_event(
            SecondFactorEvent(
                actor=by,
                action="delete",
                user=user,
                summary=_("Tweede factor hersteld: %(reason)s") % {"reason": reason},
                changes={"second_factor": "reset", "reason": reason, "deleted": deleted},
                ip_address=ip_address,
            )
        )
    return deleted


def renew_backup_codes(user, *, token: str, ip_address: str | None = None) -> list[str]:
    """A new set of BACKUP_CODE_COUNT herstelcodes for the user, after a current code from the
    authenticator app (a herstelcode does not count: it could be one of the codes being replaced).
    The old codes are void; the new ones are returned to be shown once. Audited, without the codes."""
    token = normalised(token)
    accepted = throttled = False
    with transaction.atomic():
        for device in TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update():
            if not device.verify_is_allowed()[0]:
                throttled = True
            elif token.isdigit() and len(token) == 6 and device.verify_token(token):
                accepted = True
                break
        if accepted:
            StaticToken.objects.filter(device__user=user).delete()
            backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
            if backup is None:
                backup = StaticDevice.objects.create(user=user, name=_("Herstelcodes"), confirmed=True)
            codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
            StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
            second_factor_event(
                SecondFactorEvent(
                    actor=user,
                    action="update",
                    user=user,
                    summary=_("Nieuwe herstelcodes aangemaakt (%(count)d); de oude vervallen")
                    % {"count": BACKUP_CODE_COUNT},
                    changes={"second_factor": "backup_codes_renewed", "backup_codes": BACKUP_CODE_COUNT},
                    ip_address=ip_address,
                )
            )
    if not accepted:
        raise ValidationError({"code": _wrong_code(throttled=throttled)})
    return codes
