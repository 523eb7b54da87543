from django.apps import AppConfig


class IwmoConfig(AppConfig):
    name = "iwmo"
    verbose_name = "iWmo-berichtenverkeer"

    def ready(self):
        # Django imports models after app configs, so what needs them is imported here, at start-up.
        from indications import hooks as case_hooks
        from indications import panels
        from providers import hooks

        from . import retention, toewijzing, verzoek_toewijzing, verzoeken
        from .panels import client_file_panel, worklist_panel

        # providers sits below this app: a toewijzing created, changed or ended runs this hook inside
        # its own transaction, so the WMO301 is written with the change (a transactional outbox).
        hooks.assignments_changed.register(toewijzing.queue_toewijzing)
        # The consultant's client file lists the client's messages in and out.
        panels.register_panel(panels.CLIENT_FILE, client_file_panel)
        # A message a provider rejected in its retour (302/320) lands on the consultant's worklist.
        panels.register_panel(panels.WORKLIST, worklist_panel)
        # A refused or in-onderzoek verzoek om wijziging that came in as a WMO317 gets its WMO319 in
        # the answer's transaction (importing verzoeken also registers the WMO317 with the inbox).
        hooks.change_request_answered.register(verzoeken.answer_verzoek)
        # A rejected verzoek om toewijzing that came in as a WMO315 gets its WMO319 the same way.
        hooks.assignment_request_answered.register(verzoek_toewijzing.answer_assignment_request)
        # A destroyed client file: its stored messages are emptied (iwmo.retention).
        case_hooks.client_anonymised.register(retention.anonymise_messages)
