"""The admin (/beheer/) as part of the application: its own Dutch name, the application's login page
and, for a logged-in user without admin rights, the application's 403 instead of the admin's login."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from ui.forms import dutch_empty_label


class DutchEmptyLabelMixin:
    """Every select of an admin form and its inlines starts with a Dutch empty choice."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return dutch_empty_label(formfield, db_field.verbose_name) if formfield is not None else None

    def get_action_choices(self, request, default_choices=None):
        return super().get_action_choices(request, default_choices=[("", _("Kies een actie"))])


class SddAdminSite(admin.AdminSite):
    site_header = _("sddcase – beheer")
    site_title = _("sddcase beheer")
    index_title = _("Referentiegegevens, medewerkers en rollen")

    def login(self, request, extra_context=None):
        """The admin has no login of its own: the application's login page, or a 403 for a user
        who is logged in but may not use the admin."""
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = ""
        target = target or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(target)
        if not self.has_permission(request):
            raise PermissionDenied
        return redirect(target)

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, _with_dutch_empty_labels(admin_class or admin.ModelAdmin), **options)


def _with_dutch_empty_labels(admin_class):
    """The admin class (and its inlines) with DutchEmptyLabelMixin, for our apps' and Django's alike."""
    if issubclass(admin_class, DutchEmptyLabelMixin):
        return admin_class
    attrs = {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__}
    if getattr(admin_class, "inlines", None):
        attrs["inlines"] = [_with_dutch_empty_labels(inline) for inline in admin_class.inlines]
    return type(admin_class.__name__, (DutchEmptyLabelMixin, admin_class), attrs)
