from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "signals"
    verbose_name = _("Signalering")

    def ready(self):
        # The case file and the provider domain call this hook after a user's change (they sit
        # below this app and cannot import it): the signals of that client follow at once.
        from indications.hooks import on_case_changed

        from .services import recheck_client

        on_case_changed(recheck_client)
