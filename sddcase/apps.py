"""App configurations that give Django's and django-axes' apps a place in a Dutch application."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class SddAdminConfig(AdminConfig):
    default_site = "sddcase.admin.SddAdminSite"


class SddAxesConfig(AxesAppConfig):
    verbose_name = _("Inlogbeveiliging")
