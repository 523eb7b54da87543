from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Medewerkers en rollen"

    def ready(self):
        from . import checks  # noqa: F401 (registers the two-factor system checks)
        from .roles import sync_roles_after_migrate

        # Roles are groups with permissions; permissions only exist after migrate, so the groups
        # are (re)synchronised then. This sets up reference data, it holds no business rule.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
