"""A table as the pages show it and the exports write it: one definition, three renderings
(HTML, CSV, XLSX), so the downloaded figures are the figures on the screen."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Column:
    label: str
    # text, int, money (euros), pct (a percentage 0-100), decimal (one decimal), days, date
    kind: str = "int"

    @property
    def is_numeric(self) -> bool:
        return self.kind not in ("text", "date")


@dataclass(frozen=True)
class Link:
    """A text cell that the page shows as a link (e.g. a provider's name opening its dashboard);
    the files hold the text."""

    text: str
    url: str
    current: bool = False  # the one the page is about (marked aria-current)

    def __str__(self):
        return self.text


@dataclass(frozen=True)
class Tag:
    """A text cell that the page shows as a coloured tag (e.g. a signal's urgency); `tone` names the
    colour (the CSS modifier), the text says the same, so colour is never the only cue."""

    text: str
    tone: str

    def __str__(self):
        return self.text


@dataclass
class Table:
    """A titled table; `slug` names it in the export link (`?export=<slug>&formaat=xlsx`)."""

    slug: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence] = field(default_factory=list)
    note: str = ""

    def materialise(self) -> "Table":
        """Rows as a list, so a page can render them and a chart can read them."""
        if not isinstance(self.rows, list):
            self.rows = list(self.rows)
        return self


def as_number(value):
    """A cell as a plain value for a file: Decimal to float, a link or tag to its text, None stays empty."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Link | Tag):
        return str(value)
    return value


def _half_up(value, places: int) -> Decimal:
    """Rounded the way people round (2.5 to 3), not to even as Python's round() does."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_cell(value, kind: str, *, grouping: bool = True) -> str:
    """A cell as Dutch text: decimal comma, and a thousands point on screen (not in CSV files)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):  # a text in a numeric column (e.g. "geheim") is shown as it is
        return value
    if kind == "date" and isinstance(value, date):
        # A date read back from a file is a datetime at midnight: the same day.
        return f"{value:%d-%m-%Y}"
    separator = "," if grouping else ""
    if kind in ("money", "decimal", "pct"):
        places = 2 if kind == "money" else 1
        text = f"{_half_up(value, places):{separator}.{places}f}"
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    if kind in ("int", "days") and isinstance(value, (int, float, Decimal)):
        return f"{_half_up(value, 0):{separator}.0f}".replace(",", ".")
    return str(value)


def euro(value) -> str:
    """An amount the Dutch way, with the euro sign: € 1.124,99 (a dash when there is none)."""
    if value is None:
        return "—"
    return f"€ {format_cell(value, 'money')}"
