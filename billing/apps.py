from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Declaraties en betalingen"

    def ready(self):
        # iwmo sits below this app: the WMO323 is registered with its inbox, and the provider
        # simulator's monthly declaratie with its steps, at start-up.
        from indications import hooks
        from iwmo import simulator

        from . import inbox, retention
        from . import simulator as billing_simulator

        inbox.register()
        simulator.register_step(billing_simulator.bill_month)
        # A destroyed client file's prestaties keep their figures, not the BSN (billing.retention).
        hooks.client_anonymised.register(retention.anonymise_prestaties)
