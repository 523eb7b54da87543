"""Small cells are secret in the figures the monitor exports for publication (seed 003: "de cijfers
zijn afgerond op vijftallen; om het risico op onthulling van individuen te voorkomen zijn de
waarden 0 tot en met 7 weergegeven als geheim").

The protection of a table, a pure function of the table and the setting
(settings.MONITOR_PUBLICATION: SECRET_BELOW and ROUND_TO):

1. Primary: every count (a column of kind "int") below SECRET_BELOW is "geheim"; every other count
   is rounded to the nearest multiple of ROUND_TO (half up: 8 -> 10, 12 -> 10, 13 -> 15). Totals are
   counts too, so they are rounded as well and cannot be summed back to an exact cell.
2. Secondary: a row or column with exactly one secret count gets a second one (its smallest
   remaining count), repeated until no row or column has a single secret count, so that a sum
   shown elsewhere cannot reveal the one secret cell by subtraction.
3. Derived figures (percentages, amounts, durations, rates) of a row with a secret count are
   "geheim" too: a percentage or an average of a secret count would reveal it.

What it does not do: derived figures of rows without a secret count are computed from the exact
counts, and two exports with different filters are protected each on its own (their difference
is protected only by the rounding). Internal exports (contract management) stay exact."""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from ui.tables import Table

SECRET = "geheim"
COUNT_KIND = "int"
DERIVED_KINDS = ("pct", "decimal", "money", "days")


@dataclass(frozen=True)
class Protection:
    secret_below: int = 8
    round_to: int = 5

    @classmethod
    def from_settings(cls) -> "Protection":
        config = settings.MONITOR_PUBLICATION
        return cls(secret_below=max(0, int(config["SECRET_BELOW"])), round_to=max(1, int(config["ROUND_TO"])))

    def describe(self) -> str:
        return _("waarden 0 tot en met %(highest)s zijn geheim, aantallen afgerond op %(step)s") % {
            "highest": self.secret_below - 1,
            "step": self.round_to,
        }


def protect_count(value, protection: Protection):
    """One count for publication: "geheim" below the threshold, else rounded (half up)."""
    if value is None or value == "":
        return value
    if value < protection.secret_below:
        return SECRET
    step = Decimal(protection.round_to)
    return int((Decimal(str(value)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def _secondary(grid: list[list], secret: set[tuple[int, int]], count_columns: list[int]) -> None:
    """Add secret cells until no row or column of counts has exactly one (in place)."""
    lines = [[(r, c) for c in count_columns] for r in range(len(grid))]
    lines += [[(r, c) for r in range(len(grid))] for c in count_columns]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [cell for cell in line if cell in secret]
            candidates = [cell for cell in line if cell not in secret and grid[cell[0]][cell[1]] not in (None, "")]
            if len(hidden) == 1 and candidates:
                secret.add(min(candidates, key=lambda cell: (grid[cell[0]][cell[1]], cell)))
                changed = True


def protect_table(table: Table, protection: Protection) -> Table:
    """A copy of the table as it may be published (see the module docstring)."""
    grid = [list(row) for row in table.rows]
    kinds = [column.kind for column in table.columns]
    count_columns = [index for index, kind in enumerate(kinds) if kind == COUNT_KIND]
    secret = {
        (r, c)
        for r, row in enumerate(grid)
        for c in count_columns
        if row[c] not in (None, "") and row[c] < protection.secret_below
    }
    _secondary(grid, secret, count_columns)
    rows = []
    for r, row in enumerate(grid):
        row_has_secret = any((r, c) in secret for c in count_columns)
        protected = []
        for c, value in enumerate(row):
            if (r, c) in secret:
                protected.append(SECRET)
            elif kinds[c] == COUNT_KIND:
                protected.append(protect_count(value, protection))
            elif kinds[c] in DERIVED_KINDS and row_has_secret and value not in (None, ""):
                protected.append(SECRET)
            else:
                protected.append(value)
        rows.append(protected)
    note = _("voor publicatie: %(rule)s") % {"rule": protection.describe()}
    return replace(table, rows=rows, note=f"{table.note}; {note}" if table.note else note)
