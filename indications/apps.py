from django.apps import AppConfig


class IndicationsConfig(AppConfig):
    name = "indications"
    verbose_name = "Indicaties"

    def ready(self):
        from audit.hooks import register_page_client, register_person_identifier, register_person_identifiers
        from audit.review import register_source

        from .emergency_services import REVIEW_SOURCE
        from .selectors import bsn_of_client, bsns_of_clients, client_of_page

        register_person_identifier(bsn_of_client)  # the BSN in each audit event about a client (NEN 7513)
        register_person_identifiers(bsns_of_clients)  # ... and in a batch of events, read at once
        register_page_client(client_of_page)  # the client of a refused case-file page (NEN 7513)
        register_source(REVIEW_SOURCE)  # break-the-glass accesses on the log review (audit.review)
