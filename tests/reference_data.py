"""The reference data of the data migrations, seeded again on a flushed database.

Transactional tests (the browser tests, the killed-worker test) end with a flush, which empties
every table, the rows of the data migrations too. Django's serialized rollback did not restore the
data once a non-browser test had opened the connection first (the serialized contents live on a
connection object that the browser tests did not see again), so the seeds are re-run instead; they
are idempotent. A data migration that seeds reference data adds its seed function here."""

import importlib

SEEDS = (
    ("indications", "0002_reference_data", "load"),
    ("indications", "0005_complexity_rules", "seed"),
    ("indications", "0010_ib4_product_age_limit_melding_channels", "add_ib4"),
    ("indications", "0012_quality_checklist", "add_questions"),
    ("indications", "0015_eigen_bijdrage", "add_rules"),
    ("indications", "0016_mantelzorgers", "flag_overload_sub_result"),
    ("indications", "0017_municipality_membership", "set_membership"),
    ("indications", "0018_decision_outcome_afwijzing", "seed_rules"),
    ("indications", "0019_pgb_delivery_form_budget_tariffs", "add_default_pgb_tariffs"),
    ("providers", "0011_satisfaction_target_7_5", "add_target"),
    ("iwmo", "0001_message_exchange", "seed_omvang"),
)


def seed_reference_data() -> None:
    """Seed the reference data when a flush took it (no municipality left), and the roles always."""
    from django.apps import apps

    from accounts.roles import sync_roles
    from indications.models import Municipality

    if not Municipality.objects.exists():
        for app, module, function in SEEDS:
            getattr(importlib.import_module(f"{app}.migrations.{module}"), function)(apps, None)
    sync_roles()
