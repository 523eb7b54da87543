"""A sent letter never changes, also not through a queryset update or raw SQL: a trigger refuses an
update of a letter's frozen columns once its PDF is stored (sha256 set). (Deleting stays possible:
the demo's reset and an AVG erasure remove a client's letters with the client.)"""

from django.db import migrations

COLUMNS = (
    "kind", "client_id", "municipality_id", "template_id", "kenmerk", "letter_date", "subject",
    "content", "corrects_id", "about_type_id", "about_id", "pdf", "sha256",
)

POSTGRES = """
CREATE OR REPLACE FUNCTION letters_letter_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.sha256 <> '' THEN
    IF ({new}) IS DISTINCT FROM ({old}) THEN
      RAISE EXCEPTION 'letter % was sent: it cannot change', OLD.kenmerk;
    END IF;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER letters_letter_frozen BEFORE UPDATE ON letters_letter
  FOR EACH ROW EXECUTE FUNCTION letters_letter_frozen();
""".format(
    new=", ".join(f"NEW.{c}" for c in COLUMNS), old=", ".join(f"OLD.{c}" for c in COLUMNS)
)
POSTGRES_DROP = "DROP TRIGGER IF EXISTS letters_letter_frozen ON letters_letter; DROP FUNCTION IF EXISTS letters_letter_frozen();"

SQLITE = [
    "CREATE TRIGGER letters_letter_frozen_update BEFORE UPDATE ON letters_letter "
    "WHEN OLD.sha256 <> '' AND ({}) "
    "BEGIN SELECT RAISE(ABORT, 'a sent letter cannot change'); END;".format(
        " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in COLUMNS)
    ),
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS letters_letter_frozen_update;",
]


def create(apps, schema_editor):
    statements = [POSTGRES] if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    statements = [POSTGRES_DROP] if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for statement in statements:
        schema_editor.execute(statement, params=None)


def seed_templates(apps, schema_editor):
    """Version 1 of the default template of every kind the letters app defines (B1 Dutch)."""
    from letters import kinds

    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for kind in kinds.all_kinds():
        if not LetterTemplate.objects.filter(kind=kind.code, municipality=None).exists():
            LetterTemplate.objects.create(kind=kind.code, version=1, subject=kind.subject, body=kind.body)


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_letterheads_templates_and_frozen_letters")]

    operations = [
        migrations.RunPython(create, drop),
        migrations.RunPython(seed_templates, migrations.RunPython.noop),
    ]
