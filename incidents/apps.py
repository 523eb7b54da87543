from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Calamiteiten"

    def ready(self):
        from indications import hooks

        from . import retention

        # An open calamiteit holds the client's file; a destroyed file's calamiteiten are anonymised.
        hooks.register_retention_hold(retention.HOLD)
        hooks.client_anonymised.register(retention.anonymise_incidents)
