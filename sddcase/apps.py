"""App configurations that give Django's and django-axes' apps a place in a Dutch application."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class SddAdminConfig(AdminConfig):
    default_site = "sddcase.admin.SddAdminSite"

    def ready(self):
        super().ready()
        # The production installation's system checks (they register themselves).
        from sddcase import checks  # noqa: F401


class SddAxesConfig(AxesAppConfig):
    verbose_name = _("Inlogbeveiliging")
