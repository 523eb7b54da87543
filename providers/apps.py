from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Aanbieders"

    def ready(self):
        # Django imports models after app configs, so what needs them is imported here, at start-up.
        from indications import hooks, panels

        from . import aggregates, retention, services  # noqa: F401  (aggregates registers the median aggregate on SQLite)
        from . import panels as provider_panels

        # The case file sits below this app: it runs these hooks by name inside its own transactions
        # (see indications.hooks). A vaststelling checks the contract and creates the toewijzing; a
        # beschikking that ends or is withdrawn ends its toewijzingen.
        hooks.vaststelling_checks.register(services.contract_errors)
        hooks.beschikking_issued.register(services.assign_on_vaststelling)
        hooks.beschikking_ended.register(services.end_assignments_on_end)
        # A destroyed client file: the provider domain's texts, BSNs and plan PDFs (providers.retention).
        hooks.client_anonymised.register(retention.anonymise_provider_data)
        # The case file's pages show the toewijzingen and verzoeken om wijziging (indications.panels).
        panels.register_panel(panels.WORKLIST, provider_panels.worklist_panel)
        panels.register_panel(panels.WORKLIST, provider_panels.worklist_assignment_requests_panel)
        panels.register_panel(panels.CLIENT_FILE, provider_panels.client_file_panel)
        panels.register_panel(panels.INDICATION_DETAIL, provider_panels.indication_detail_panel)
