"""Rendering a letter: the editable texts through a restricted template engine, the whole letter
through the project's letter template, and the PDF through WeasyPrint (tagged: PDF/UA-1).

The editable texts (LetterTemplate.subject and .body) are data a functioneel beheerder writes, so
they are rendered by an engine that can reach nothing but the plain values it is given: no loaders
(no {% include %} or {% extends %}), no {% load %}, none of the tags that read more than the
context ({% debug %}, {% url %}, {% now %}, {% csrf_token %}, ...), autoescape on, and a context of
strings, numbers, booleans and lists/dicts of them only (never a model object, so no attribute
chain leads to other data).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.template import Context, Engine, TemplateSyntaxError, defaultfilters, defaulttags
from django.template.library import Library
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from weasyprint import HTML

# The tags an editable text may use: control flow over the given values, nothing that reads more.
SAFE_TAGS = ("if", "for", "with", "firstof", "spaceless", "comment", "filter", "cycle", "ifchanged")


def _safe_library() -> Library:
    library = Library()
    library.tags = {name: defaulttags.register.tags[name] for name in SAFE_TAGS}
    library.filters = dict(defaultfilters.register.filters)
    return library


def _text_engine() -> Engine:
    engine = Engine(dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=True, debug=False)
    engine.template_builtins = [_safe_library()]  # instead of Django's defaults (with {% load %})
    return engine


TEXT_ENGINE = _text_engine()

PLAIN_TYPES = (str, int, float, bool, type(None))


def _ensure_plain(value, path: str = "context") -> None:
    """Refuse anything but plain data in the context of an editable text."""
    if isinstance(value, PLAIN_TYPES):
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _ensure_plain(item, f"{path}.{key}")
        return
    if isinstance(value, list | tuple):
        for item in value:
            _ensure_plain(item, path)
        return
    raise TypeError(f"{path} is not plain data: {type(value).__name__}")


def render_text(source: str, values: Mapping) -> SafeString:
    """Render an editable text with the restricted engine (TemplateSyntaxError on a bad text)."""
    _ensure_plain(values)
    return SafeString(TEXT_ENGINE.from_string(source).render(Context(dict(values), autoescape=True)))


def text_errors(source: str, values: Mapping) -> list[str]:
    """What is wrong with an editable text (Dutch), tried on sample values: [] when it renders."""
    try:
        render_text(source, values)
    except TemplateSyntaxError as error:
        return [f"De tekst is geen geldig sjabloon: {error}"]
    return []


def letter_html(content: Mapping) -> str:
    """The whole letter as HTML, from a letter's frozen content."""
    return render_to_string("letters/letter.html", {"letter": content})


def render_pdf(content: Mapping) -> bytes:
    """The letter as a tagged PDF (PDF/UA-1: structure tree, marked content, language)."""
    return HTML(string=letter_html(content), base_url=None).write_pdf(pdf_variant="pdf/ua-1")
