from django.apps import AppConfig


class ObjectionsConfig(AppConfig):
    name = "objections"
    verbose_name = "Bezwaren"

    def ready(self):
        from audit.hooks import register_page_client
        from indications import hooks, panels
        from letters import decision_letters

        from . import letters, retention, selectors
        from . import panels as objection_panels

        # The bezwaar's letters (objections.letters): their kinds, and the note in a herziening's letter.
        letters.register_kinds()
        decision_letters.register_decision_values(letters.herziening_values)

        # The beschikking page shows its bezwaren and the way to register one (indications.panels).
        panels.register_panel(panels.INDICATION_DETAIL, objection_panels.indication_detail_panel)
        # The client of a refused bezwaar page, for its audit event (NEN 7513).
        register_page_client(selectors.client_of_page)

        # An open bezwaar holds the client's file; a destroyed file's bezwaren are anonymised.
        hooks.register_retention_hold(retention.HOLD)
        hooks.client_anonymised.register(retention.anonymise_bezwaren)
