"""Checks on a page's HTML that every form of the application must pass: unique ids, every
aria-describedby and label target present, and an error summary whose links reach their fields."""

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageMarkup:
    ids: Counter = field(default_factory=Counter)
    described_by: list[str] = field(default_factory=list)
    label_targets: list[str] = field(default_factory=list)
    summary_links: list[str] = field(default_factory=list)
    summaries: int = 0
    invalid_inputs: int = 0


class _Collector(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.markup = PageMarkup()
        self._open: list[tuple[str, bool]] = []  # (tag, opens an error summary)

    def _in_summary(self) -> bool:
        return any(is_summary for _, is_summary in self._open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        markup = self.markup
        if attrs.get("id"):
            markup.ids[attrs["id"]] += 1
        markup.described_by.extend((attrs.get("aria-describedby") or "").split())
        if tag == "label" and attrs.get("for"):
            markup.label_targets.append(attrs["for"])
        if attrs.get("aria-invalid") == "true":
            markup.invalid_inputs += 1
        is_summary = "error-summary" in (attrs.get("class") or "").split()
        markup.summaries += is_summary
        if tag == "a" and self._in_summary():
            markup.summary_links.append(attrs.get("href") or "")
        if tag not in self.VOID:
            self._open.append((tag, is_summary))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self._open.pop()

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break


def parse(html: str) -> PageMarkup:
    collector = _Collector()
    collector.feed(html)
    return collector.markup


def markup_problems(html: str) -> list[str]:
    """What is wrong with the page's form markup (empty when nothing is)."""
    markup = parse(html)
    problems = [f"id {name!r} occurs {count} times" for name, count in markup.ids.items() if count > 1]
    problems += [
        f"aria-describedby points to missing id {ref!r}" for ref in markup.described_by if ref not in markup.ids
    ]
    problems += [f"label for missing id {ref!r}" for ref in markup.label_targets if ref not in markup.ids]
    for href in markup.summary_links:
        if not href.startswith("#") or href[1:] not in markup.ids:
            problems.append(f"error summary link {href!r} reaches no field")
    if markup.invalid_inputs and not markup.summaries:
        problems.append("fields are marked invalid but the page has no error summary")
    return problems
