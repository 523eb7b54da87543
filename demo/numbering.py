"""Numbers as the services assign them, so the numbers they assign later continue the same sequences:
a beschikking is IB-<year of the decision>-<pk, 7 digits> (indications.services.issue_beschikking), a
toewijzing the next value of the toewijzingnummer counter (providers.numbering, as providers.services),
reserved for the whole chunk at once. The writer reserves the pks first, so the numbers are written
with the rows instead of in an UPDATE afterwards."""

from __future__ import annotations

from providers.numbering import reserve_assignment_numbers

from .rows import Rows


def beschikking_number(pk: int, decision_year: int) -> str:
    return f"IB-{decision_year}-{pk:07d}"


def number_chunk(rows: Rows) -> None:
    """Number the chunk's vastgestelde beschikkingen and toewijzingen (their pks are reserved), and
    store the toewijzingnummer in the providers' answers as the API does."""
    for level in rows.levels:
        for ind in level:
            if ind.decision_date:
                ind.number = beschikking_number(ind.id, ind.decision_date.year)
    for assignment, number in zip(rows.assignments, reserve_assignment_numbers(len(rows.assignments)), strict=True):
        assignment.number = number
    for event in rows.care_events:
        event.response = {"toewijzingnummer": event.assignment.number, **event.demo_body}
