from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "signals"
    verbose_name = _("Signalering")

    def ready(self):
        # The case file and the provider domain call this hook after a user's change (they sit
        # below this app and cannot import it): the signals of that client follow at once.
        from indications import panels
        from indications.hooks import on_case_changed

        from . import panels as signal_panels
        from .services import recheck_client

        on_case_changed(recheck_client)
        # The consultant's worklist shows the open signals (the case file cannot import this app).
        panels.register_panel(panels.WORKLIST, signal_panels.worklist_panel)
