from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Calamiteiten"

    def ready(self):
        from audit.hooks import register_page_client

        from .selectors import client_of_page

        register_page_client(client_of_page)  # the client of a refused calamiteit page (NEN 7513)
