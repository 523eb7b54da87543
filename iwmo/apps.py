from django.apps import AppConfig


class IwmoConfig(AppConfig):
    name = "iwmo"
    verbose_name = "iWmo-berichtenverkeer"

    def ready(self):
        # Django imports models after app configs, so what needs them is imported here, at start-up.
        from indications import panels
        from providers import hooks

        from . import toewijzing
        from .panels import client_file_panel

        # providers sits below this app: a toewijzing created, changed or ended runs this hook inside
        # its own transaction, so the WMO301 is written with the change (a transactional outbox).
        hooks.assignments_changed.register(toewijzing.queue_toewijzing)
        # The consultant's client file lists the client's messages in and out.
        panels.register_panel(panels.CLIENT_FILE, client_file_panel)
