"""Write one chunk of rows: primary keys reserved first, then every table in one pass.

Reserving the pks (a block from each table's sequence on PostgreSQL, above max(id) on SQLite) lets
every row carry its foreign keys and its number from the start: no INSERT ... RETURNING round trips,
no UPDATE for the numbers. On PostgreSQL each table is streamed with COPY (psycopg 3); on SQLite,
the embedded default, with bulk_create. Foreign keys are checked at commit (Django creates them
DEFERRABLE INITIALLY DEFERRED), inside the chunk's transaction; a large load on PostgreSQL lifts
them with the unique and secondary indexes and re-creates them after the last chunk (bulkload).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from indications.models import (
    Aanvraag,
    Client,
    Conversation,
    Evaluation,
    Indication,
    IndicationResult,
    IndicationStatusChange,
    Intake,
    Mantelzorger,
    Melding,
    OtherProvision,
    PgbBudget,
    PlannedEvaluation,
    ResultProgress,
    Review,
    ReviewQuestion,
    ZrmAssessment,
    ZrmScore,
)
from providers.models import Assignment, CareEvent, ChangeRequest, SupportPlan, SupportPlanPart

from .numbering import number_chunk
from .rows import Rows
from .timestamps import historic_timestamps

BATCH = 2000
SubResult = IndicationResult.sub_results.through
_PLAIN, _FK, _JSON = 0, 1, 2


class _Table:
    """How a model's rows become tuples: (column, field name, attname, kind, callable default)."""

    def __init__(self, model: type[models.Model], *, with_pk: bool):
        self.model, self.with_pk, self.fields = model, with_pk, []
        assert model._meta.pk.attname == "id", model  # rows and model instances alike are read by .id
        for f in model._meta.concrete_fields:
            if f.primary_key and not with_pk:
                continue
            kind = _FK if f.is_relation else _JSON if isinstance(f, models.JSONField) else _PLAIN
            default = f.get_default if f.has_default() and callable(f.default) else None
            if default is None and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):
                default = timezone.now
            self.fields.append((f.column, f.name, f.attname, kind, default))
        self.columns = [column for column, *_rest in self.fields]

        self._compiled = {}

    def values(self, row, *, json_text: bool) -> tuple:
        """The row's column values; a foreign key to a row that was never given a pk is refused."""
        if json_text not in self._compiled:
            self._compiled[json_text] = self._compile(json_text)
        return self._compiled[json_text](row.__dict__)

    def _compile(self, json_text: bool):
        """One generated function per table and mode: a tuple of plain dict lookups (this runs for
        every row, so no loop over the fields and no function call per value)."""
        env = {"_missing": self._refuse, "_dumps": _dumps if json_text else (lambda value: value)}
        parts = []
        for number, (_column, name, attname, kind, default) in enumerate(self.fields):
            n, a = repr(name), repr(attname)
            if kind == _FK:
                parts.append(f"((d[{n}].id or _missing({n})) if d[{n}] is not None else d[{a}])")
                continue
            if default is None:
                value = f"d[{n}]"
            else:
                if json_text and getattr(self.model._meta.get_field(name), "default", None) is uuid.uuid4:
                    default = _uuid4_text  # COPY takes the text; uuid.UUID() costs more than the rest of the row
                env[f"_default{number}"] = default
                value = f"(v if (v := d.get({n})) is not None else _default{number}())"
            parts.append(f"_dumps({value})" if kind == _JSON else value)
        return eval(f"lambda d: ({', '.join(parts)},)", env)  # noqa: S307 - built from field names only

    def _refuse(self, name: str):
        raise ValueError(f"{self.model.__name__}.{name} points to a row that is not written")


def _dumps(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder)


_UUID4_KEEP, _UUID4_SET = ~((0xF000 << 64) | (0xC000 << 48)), (0x4000 << 64) | (0x8000 << 48)


def _uuid4_text() -> str:
    """What str(uuid.uuid4()) gives, as 32 hex digits: random bits with the version (4) and variant set."""
    return f"{int.from_bytes(os.urandom(16)) & _UUID4_KEEP | _UUID4_SET:032x}"


# Tables whose rows others point to get their pks reserved; the rest take the column default.
_WITH_PK = (
    Client,
    Melding,
    Intake,
    Aanvraag,
    Indication,
    IndicationResult,
    Evaluation,
    ZrmAssessment,
    Review,
    Assignment,
    SupportPlan,
)
_WITHOUT_PK = (
    Conversation,
    Mantelzorger,
    PgbBudget,
    OtherProvision,
    PlannedEvaluation,
    IndicationStatusChange,
    ResultProgress,
    ReviewQuestion,
    ChangeRequest,
    CareEvent,
    SupportPlanPart,
)
_TABLES: dict = {}
# Every table a load writes.
WRITTEN = (*_WITH_PK, *_WITHOUT_PK, SubResult, ZrmScore)


def _table(model) -> _Table:
    if model not in _TABLES:
        _TABLES[model] = _Table(model, with_pk=model in _WITH_PK)
    return _TABLES[model]


def reserve_pks(wanted: list[tuple[type[models.Model], int]]) -> list[Iterable[int]]:
    """For each (model, count), `count` primary keys nobody else will use: from the table's sequence on
    PostgreSQL (safe alongside other writers; one round trip for all tables), above the highest ever
    used on SQLite (AUTOINCREMENT keeps it)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(["ARRAY(SELECT nextval(%s::regclass) FROM generate_series(1, %s))"] * len(wanted))
            cursor.execute(
                f"SELECT {arrays}", [value for model, count in wanted for value in (_sequence(cursor, model), count)]
            )
            return list(cursor.fetchone())
        reserved = []
        for model, count in wanted:
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")
            highest = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            used = cursor.fetchone()
            start = max(highest, used[0] if used else 0) + 1
            reserved.append(range(start, start + count))
        return reserved


_SEQUENCES: dict = {}


def _sequence(cursor, model: type[models.Model]) -> str:
    if model not in _SEQUENCES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
        _SEQUENCES[model] = cursor.fetchone()[0]
    return _SEQUENCES[model]


def _by_table(rows: Rows) -> list[tuple[type[models.Model], list]]:
    return [
        (Client, rows.clients),
        (Melding, rows.meldingen),
        (Intake, rows.intakes),
        (Conversation, rows.conversations),
        (Mantelzorger, rows.mantelzorgers),
        (OtherProvision, rows.provisions),
        (Aanvraag, rows.aanvragen),
        (Indication, rows.indications),
        (IndicationResult, rows.results),
        (PgbBudget, rows.pgb_budgets),
        (Evaluation, rows.evaluations),
        (ZrmAssessment, rows.assessments),
        (ResultProgress, rows.progress),
        (PlannedEvaluation, rows.planned),
        (IndicationStatusChange, rows.status_changes),
        (Review, rows.reviews),
        (ReviewQuestion, rows.questions),
        (Assignment, rows.assignments),
        (ChangeRequest, rows.change_requests),
        (CareEvent, rows.care_events),
        (SupportPlan, rows.support_plans),
        (SupportPlanPart, rows.support_plan_parts),
    ]


def _plain_tables(rows: Rows) -> list[tuple[type[models.Model], tuple[str, ...], Iterable[tuple]]]:
    """The link tables, as tuples generated while they are written."""
    return [
        (
            SubResult,
            ("indicationresult_id", "ibsubresult_id"),
            ((row.id, sub.id) for row, subs in rows.result_subs for sub in subs),
        ),
        (
            ZrmScore,
            ("assessment_id", "domain_id", "score"),
            ((assessment.id, pk, score) for assessment, scores in rows.scores for pk, score in scores.items()),
        ),
    ]


def write_chunk(rows: Rows) -> None:
    """Insert the chunk; call inside a transaction."""
    tables = _by_table(rows)
    keyed = [(model, objects) for model, objects in tables if model in _WITH_PK and objects]
    for (_model, objects), pks in zip(keyed, reserve_pks([(m, len(o)) for m, o in keyed]), strict=True):
        for row, pk in zip(objects, pks, strict=True):
            row.id = pk
    number_chunk(rows)
    if connection.vendor == "postgresql":
        _copy(tables, rows)
    else:
        _bulk_create(tables, rows)


def _copy(tables, rows: Rows) -> None:
    quote = connection.ops.quote_name
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            # Bulk-load mode (as pg_restore --disable-triggers): no per-row foreign-key trigger, which
            # costs more than the COPY itself. The references are sound by construction: every one
            # is a row of this chunk or of earlier ones (values() refuses a row that is not written)
            # or reference data read from this database. Ends with the transaction.
            cursor.execute("SET LOCAL session_replication_role = replica")
        for model, objects in tables:
            if not objects:
                continue
            table = _table(model)
            statement = f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, table.columns))}) FROM STDIN"
            with cursor.copy(statement) as copy:
                for row in objects:
                    copy.write_row(table.values(row, json_text=True))
        for model, columns, tuples in _plain_tables(rows):
            # Integers only: the COPY text is formatted at once (a write_row call per row costs more).
            line = "\t".join(["%d"] * len(columns)) + "\n"
            statement = f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
            with cursor.copy(statement) as copy:
                copy.write("".join([line % values for values in tuples]))


def _bulk_create(tables, rows: Rows) -> None:
    with historic_timestamps():
        for model, objects in tables:
            table = _table(model)
            attnames = [attname for _column, _name, attname, _kind, _default in table.fields]
            model.objects.bulk_create(
                [model(**dict(zip(attnames, table.values(row, json_text=False), strict=True))) for row in objects],
                batch_size=BATCH,
            )
        for model, columns, tuples in _plain_tables(rows):
            model.objects.bulk_create(
                [model(**dict(zip(columns, values, strict=True))) for values in tuples], batch_size=BATCH
            )
