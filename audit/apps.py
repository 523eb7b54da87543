from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audittrail"

    def ready(self):
        from .review import register_source
        from .review_sources import MANY_FILES, OUTSIDE_OFFICE_HOURS

        # The log review's own kinds (audit.review); the apps above register theirs in their ready().
        register_source(MANY_FILES)
        register_source(OUTSIDE_OFFICE_HOURS)
