"""App configurations that give Django's and django-axes' apps a place in a Dutch application."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class SddAdminConfig(AdminConfig):
    default_site = "sddcase.admin.SddAdminSite"

    def ready(self):
        super().ready()
        from accounts.hooks import second_factor_event
        from audit.review import register_source
        from sddcase import checks  # noqa: F401  (the production installation's system checks register themselves)
        from sddcase.account_audit import record_second_factor_event
        from sddcase.account_review import FAILED_LOGINS

        # The second factor's changes in the audit trail (accounts and audit are siblings).
        second_factor_event.register(record_second_factor_event)
        # The failed logins and lockouts on the log review (audit.review).
        register_source(FAILED_LOGINS)


class SddAxesConfig(AxesAppConfig):
    verbose_name = _("Inlogbeveiliging")
