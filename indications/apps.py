from django.apps import AppConfig


class IndicationsConfig(AppConfig):
    name = "indications"
    verbose_name = "Indicaties"

    def ready(self):
        from audit.hooks import register_person_identifier

        from .selectors import bsn_of_client

        register_person_identifier(bsn_of_client)  # the BSN in each audit event about a client (NEN 7513)
