"""Reads about a user's second factor (django-otp devices)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_second_factor(user) -> bool:
    """The user has enrolled: a confirmed device (authenticator app or herstelcodes)."""
    return user_has_device(user, confirmed=True)


def needs_second_factor(user) -> bool:
    """A logged-in user whose session has not passed the second factor (yet), while it is required."""
    if not settings.SDDCASE_OTP_REQUIRED or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django_otp.middleware.OTPMiddleware
    return not (is_verified is not None and is_verified())


def users_with_second_factor_status() -> QuerySet:
    """Every active user with `has_totp` (an authenticator app) and `has_backup_codes` (unused herstelcodes left)."""
    confirmed_totp = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    static = StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(has_totp=Exists(confirmed_totp), has_backup_codes=Exists(static.filter(token_set__isnull=False)))
        .order_by("username")
    )
