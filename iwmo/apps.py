from django.apps import AppConfig


class IwmoConfig(AppConfig):
    name = "iwmo"
    verbose_name = "iWmo-berichtenverkeer"

    def ready(self):
        # Django imports models after app configs, so what needs them is imported here, at start-up.
        from providers import hooks

        from . import toewijzing, verzoeken

        # providers sits below this app: a toewijzing created, changed or ended runs this hook inside
        # its own transaction, so the WMO301 is written with the change (a transactional outbox).
        hooks.assignments_changed.register(toewijzing.queue_toewijzing)
        # A refused or in-onderzoek verzoek om wijziging that came in as a WMO317 gets its WMO319 in
        # the answer's transaction (importing verzoeken also registers the WMO317 with the inbox).
        hooks.change_request_answered.register(verzoeken.answer_verzoek)
