from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Declaraties en betalingen"

    def ready(self):
        # iwmo sits below this app: the WMO323 is registered with its inbox at start-up.
        from . import inbox

        inbox.register()
