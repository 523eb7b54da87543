"""NEN 7513 fields on the audit trail, the action code of the existing rows, and the append-only
triggers again with one narrow exception: the nightly retention may DELETE events older than the
cutoff of a RetentionPermit row that exists only inside its own transaction.

The triggers are dropped first (SQLite rebuilds the table for the new columns, which loses them
anyway); 0008 maps the existing rows and creates them again. The UPDATE of the existing rows is
not in this migration: on PostgreSQL it leaves trigger events pending (the deferred foreign key
of the actor), and the new column's CREATE INDEX, which Django runs at the end of the
migration, then refuses ("pending trigger events"). tests/audit/test_migrations.py runs these
migrations over a table with rows."""

from django.db import migrations, models

# The mapping of models.NEN_ACTIONS at the time of this migration (a migration keeps its own copy).
NEN_ACTIONS = {
    "read": ("R", "success"),
    "create": ("C", "success"),
    "update": ("U", "success"),
    "delete": ("D", "success"),
    "transition": ("U", "success"),
    "rejected": ("R", "refused"),
}

POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
    "DROP FUNCTION IF EXISTS audit_refuse_delete()",
]
POSTGRESQL_CREATE = [
    """
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    # A DELETE passes only for an event older than the cutoff of the retention permit (see
    # audit.retention): a row that exists only inside the transaction of the retention's delete.
    """
    CREATE OR REPLACE FUNCTION audit_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM audit_retentionpermit WHERE id = 1 AND OLD.at < cutoff) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
    """,
    """
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_delete()
    """,
    """
    CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]
SQLITE_CREATE = [
    """
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE on audit_auditevent refused'); END
    """,
    """
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM audit_retentionpermit WHERE id = 1 AND OLD.at < cutoff)
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE on audit_auditevent refused'); END
    """,
]
# Back to 0004's triggers (no exception for the retention).
POSTGRESQL_0004 = [
    """
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
    """,
    """
    CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
    """,
]
SQLITE_0004 = [
    SQLITE_CREATE[0],
    """
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE on audit_auditevent refused'); END
    """,
]
STATEMENTS = {
    "postgresql": {"drop": POSTGRESQL_DROP, "create": POSTGRESQL_CREATE, "create_0004": POSTGRESQL_0004},
    "sqlite": {"drop": SQLITE_DROP, "create": SQLITE_CREATE, "create_0004": SQLITE_0004},
}


def _run(schema_editor, which: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"No append-only triggers for the audit trail on {vendor}.")
    for statement in STATEMENTS[vendor][which]:
        schema_editor.execute(statement, params=None)  # no placeholders: the % are plpgsql


def drop_triggers(apps, schema_editor):
    _run(schema_editor, "drop")


def create_triggers(apps, schema_editor):
    _run(schema_editor, "create")


def restore_0004_triggers(apps, schema_editor):
    _run(schema_editor, "drop")
    _run(schema_editor, "create_0004")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_audit_event_action_delete"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, restore_0004_triggers),
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['-at'], 'permissions': [('export_auditevent', 'Mag de audittrail exporteren (NEN 7513, voor de SIEM)')], 'verbose_name': 'auditgebeurtenis', 'verbose_name_plural': 'auditgebeurtenissen'},
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor_role',
            field=models.CharField(blank=True, db_default='', max_length=200, verbose_name='rol'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='bsn',
            field=models.CharField(blank=True, db_default='', db_index=True, max_length=9, verbose_name='BSN'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='nen_action',
            field=models.CharField(choices=[('C', 'creëren'), ('R', 'raadplegen'), ('U', 'wijzigen'), ('D', 'verwijderen'), ('S', 'zoeken'), ('P', 'afdrukken/exporteren'), ('T', 'verstrekken')], db_default='R', max_length=1, verbose_name='actiecode'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='outcome',
            field=models.CharField(choices=[('success', 'geslaagd'), ('refused', 'geweigerd')], db_default='success', max_length=10, verbose_name='resultaat'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='purpose',
            field=models.CharField(blank=True, db_default='', max_length=120, verbose_name='reden van inzage'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='system_id',
            field=models.CharField(blank=True, db_default='', max_length=100, verbose_name='systeem'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('read', 'ingezien'), ('create', 'aangemaakt'), ('update', 'gewijzigd'), ('delete', 'verwijderd'), ('transition', 'statusovergang'), ('rejected', 'geweigerd'), ('search', 'gezocht'), ('export', 'geëxporteerd'), ('transfer', 'verstrekt')], max_length=20, verbose_name='handeling'),
        ),
        migrations.CreateModel(
            name='RetentionPermit',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('cutoff', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'bewaartermijnvergunning',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='audit_retention_permit_single_row')],
            },
        ),
    ]
