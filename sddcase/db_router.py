"""The database router for the read replica (DATABASE_REPLICA_URL, alias `replica`).

Every write goes to the primary (`default`), and so does every read, except a read inside an
explicit reporting scope (`ui.reporting.reporting_reads`) while the primary has no transaction
open: that one goes to the replica. Migrations run on the primary only; the replica follows by
streaming replication."""

from django.db import connections

from ui.reporting import PRIMARY, REPLICA, in_reporting_scope, replica_configured


class ReportingReadsRouter:
    def db_for_read(self, model, **hints):
        if in_reporting_scope() and replica_configured() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
