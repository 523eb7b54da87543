"""What every answer of the API to a hostile or broken request must be: a 4xx in JSON with a `code`
and a Dutch `melding` (each field error too), and exactly one audit record of the call."""

import json
import re

from audit.models import AuditEvent

# Words that give away an English (or half-translated) text; none occurs in our Dutch messages.
ENGLISH = re.compile(
    r"\b(the|this|is not|not|invalid|expected|must|ensure|field|error|parse|please|valid|value|method|request|"
    r"found|allowed|format|string|integer|number|dictionary|items|got|characters|required|may|blank|credentials|"
    r"provided|permission|throttled|available|seconds|page|media|unsupported|satisfy|server|occurred|malformed|"
    r"choice|list|date|datetime|data|elements|than|less|greater|wrong|large|empty)\b",
    re.IGNORECASE,
)


def english_in(text: str) -> list[str]:
    """English words in text, leaving out what a message quotes from the request ("multipart/form-data")."""
    return ENGLISH.findall(re.sub(r'"[^"]*"', "", text))


def messages_of(body: dict) -> list[str]:
    return [body["melding"], *(error["melding"] for error in body.get("fouten", []))]


def assert_refused(response, status: int, code: str | None = None) -> dict:
    """A JSON error answer with the status (and code), every message Dutch; returns the body."""
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert isinstance(body.get("code"), str) and body["code"], body
    assert isinstance(body.get("melding"), str) and body["melding"], body
    if code is not None:
        assert code in {body["code"], *(error["code"] for error in body.get("fouten", []))}, body
    for message in messages_of(body):
        assert not english_in(message), (message, english_in(message))
    return body


class AuditCounter:
    """Counts the audit records written since it was made."""

    def __init__(self):
        self.before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def new(self):
        return AuditEvent.objects.filter(id__gt=self.before).order_by("id")

    def the_call(self) -> AuditEvent:
        """The one record of the API call (a service's own event, e.g. 'start zorg', is not one)."""
        calls = [event for event in self.new() if event.summary.startswith("API ")]
        assert len(calls) == 1, [event.summary for event in calls]
        return calls[0]
