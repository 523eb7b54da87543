from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Calamiteiten"

    def ready(self):
        from audit.hooks import register_page_client
        from indications import hooks

        from . import retention
        from .selectors import client_of_page

        register_page_client(client_of_page)  # the client of a refused calamiteit page (NEN 7513)
        # An open calamiteit holds the client's file; a destroyed file's calamiteiten are anonymised.
        hooks.register_retention_hold(retention.HOLD)
        hooks.client_anonymised.register(retention.anonymise_incidents)
