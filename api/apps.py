from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from audit.review import register_source

        from . import schema  # noqa: F401  (registers the OpenAPI authentication extension)
        from .review import NEW_ADDRESS

        register_source(NEW_ADDRESS)  # the log review's "API key used from a new address" (audit.review)
