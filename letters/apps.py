from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "Brieven"

    def ready(self):
        from audit.hooks import register_page_client
        from indications import hooks, panels

        from . import decision_letters, retention, selectors, views

        # The decision's letter, in the decision's transaction (letters.decision_letters).
        hooks.beschikking_issued.register(decision_letters.on_vaststelling)
        hooks.beschikking_refused.register(decision_letters.on_vaststelling)
        hooks.beschikking_ended.register(decision_letters.on_beschikking_ended)
        # The client's letters on the client file and the beschikking page.
        panels.register_panel(panels.CLIENT_FILE, views.client_letters_panel)
        panels.register_panel(panels.INDICATION_DETAIL, views.indication_letters_panel)
        # The client of a refused letter download, for its audit event (NEN 7513).
        register_page_client(selectors.client_of_page)
        # A destroyed client file's letters are deleted with their PDFs (letters.retention).
        hooks.client_anonymised.register(retention.delete_letters_of)
