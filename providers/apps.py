from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Aanbieders"

    def ready(self):
        from . import aggregates  # noqa: F401  (registers the median aggregate on SQLite connections)
