"""System checks of the two-factor login: SDDCASE_OTP_REQUIRED=false is for the demo on the
embedded default (`make run`) only."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def second_factor_exempt_only_on_the_embedded_default(app_configs, **kwargs):
    """A production installation runs on PostgreSQL: there the second factor is always required."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if settings.SDDCASE_OTP_REQUIRED or engine.endswith("sqlite3"):
        return []
    return [
        Error(
            "SDDCASE_OTP_REQUIRED is false on a database other than the embedded SQLite default.",
            hint="Only the demo on the embedded default (make run) may log in without a second factor.",
            id="accounts.E001",
        )
    ]


@register(Tags.security, deploy=True)
def second_factor_required_in_production(app_configs, **kwargs):
    """`manage.py check --deploy` is the production check: no exemption at all there."""
    if settings.SDDCASE_OTP_REQUIRED:
        return []
    return [
        Error(
            "SDDCASE_OTP_REQUIRED is false: users log in with a password alone.",
            hint="Remove SDDCASE_OTP_REQUIRED=false (the default, true, requires the second factor).",
            id="accounts.E002",
        )
    ]
