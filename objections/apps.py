from django.apps import AppConfig


class ObjectionsConfig(AppConfig):
    name = "objections"
    verbose_name = "Bezwaren"

    def ready(self):
        from indications import panels

        from . import panels as objection_panels

        # The beschikking page shows its bezwaren and the way to register one (indications.panels).
        panels.register_panel(panels.INDICATION_DETAIL, objection_panels.indication_detail_panel)
