from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from incidents.hooks import incident_changed
from indications.hooks import on_case_changed
from providers.hooks import provide_sla_signals


class SignalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "signals"
    verbose_name = _("Signalering")

    def ready(self):
        # The hooks below are how the layers under this app reach it (they cannot import it). The
        # services and selectors import models, so they load here, once the app registry is ready.
        from indications import hooks, panels

        from . import panels as signal_panels
        from . import retention
        from .selectors import open_sla_signal_counts, open_sla_signal_listing
        from .services import follow_incident, recheck_client, recheck_clients

        # The case file and the provider domain call this hook after a user's change: the signals
        # of that client follow at once.
        # (A batch of iWmo messages rechecks its clients together: recheck_clients.)
        on_case_changed(recheck_client, many=recheck_clients)
        # The provider pages (SLA benchmark, provider dashboard) show the open SLA signals.
        provide_sla_signals(counts=open_sla_signal_counts, listing=open_sla_signal_listing)
        # A reported calamiteit reaches the team lead at once; its signal closes with the GGD report.
        incident_changed.register(follow_incident)
        # The consultant's worklist shows the open signals (the case file cannot import this app).
        panels.register_panel(panels.WORKLIST, signal_panels.worklist_panel)
        # A destroyed client file: the notes on its signals (signals.retention).
        hooks.client_anonymised.register(retention.anonymise_signal_notes)
