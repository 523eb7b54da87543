"""The letters of a bezwaar: its kinds (registered with letters.kinds at start-up, ObjectionsConfig.ready)
and the issuing of each, called by objections.services inside the service's own transaction.

- the ontvangstbevestiging (registering a bezwaar): the date received, when we decide, the hearing
  and the advisory committee if set; no remedy (it is no besluit);
- the verdagingsbrief (Awb 7:10 lid 3): the reason and the new date; no remedy;
- the beslissing op bezwaar per outcome: gegrond, ongegrond, niet-ontvankelijk (Awb 7:11, 6:11), each
  with the motivation and the beroep clause (Awb 8:1: beroep at the rechtbank, not a new bezwaar);
- the bevestiging van de intrekking (Awb 6:21): no remedy, a withdrawal ends the procedure without a
  besluit.

The letters go to the objector: the client, or the representative who filed the bezwaar when the
bezwaar records the representative's address (Awb 2:1 lid 1, the gemachtigde); the letter stays in
the client's file and names the client it is about. Values are plain data, never cost or internal
notes; the client's BSN is masked by the letters app.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from indications.models import Indication
from letters import kinds
from letters.kinds import Kind
from letters.models import Letter
from letters.services import dutch_date, issue_letter

from .models import Bezwaar, BezwaarStatus, FiledBy

ONTVANGST = "bezwaar_ontvangstbevestiging"
VERDAGING = "bezwaar_verdaging"
GEGROND = "bezwaar_beslissing_gegrond"
ONGEGROND = "bezwaar_beslissing_ongegrond"
NIET_ONTVANKELIJK = "bezwaar_beslissing_niet_ontvankelijk"
INTREKKING = "bezwaar_intrekking_bevestigd"

# The opening every bezwaar letter shares: who objected, when, against which besluit.
_OPENING = (
    "{% if representative %}Namens {{ client_name }} heeft u{% else %}U heeft{% endif %} op {{ received_on }} "
    "bezwaar gemaakt tegen ons besluit van {{ letter_date }} met kenmerk {{ beschikking_number }} over "
    "{{ product }}."
)
_PROCEDURE = (
    "{% if hearing_held %}<p>Wij hebben u gehoord tijdens de hoorzitting"
    "{% if hearing_on %} op {{ hearing_on }}{% endif %}.</p>\n{% endif %}"
    "{% if advisory_committee %}<p>De onafhankelijke bezwaarcommissie heeft ons advies gegeven. "
    "Dat advies hebben wij bij onze beslissing betrokken.</p>\n{% endif %}"
)
_SUBJECT_BESLISSING = "Beslissing op uw bezwaar over {{ product }}"

OUTCOME_KINDS = {
    BezwaarStatus.GEGROND: GEGROND,
    BezwaarStatus.ONGEGROND: ONGEGROND,
    BezwaarStatus.NIET_ONTVANKELIJK: NIET_ONTVANKELIJK,
    BezwaarStatus.INGETROKKEN: INTREKKING,
}

KINDS = (
    Kind(
        code=ONTVANGST,
        label=_("bezwaar: ontvangstbevestiging"),
        subject="Wij hebben uw bezwaar ontvangen",
        body=(
            f"<p>{_OPENING} Met deze brief laten wij u weten dat wij uw bezwaar hebben ontvangen.</p>\n"
            "<h2>Wat gebeurt er nu?</h2>\n"
            "<p>Wij bekijken ons besluit opnieuw. "
            "{% if hearing %}Wij nodigen u uit voor een gesprek: de hoorzitting"
            "{% if hearing_on %}, op {{ hearing_on }}{% endif %}. Daar kunt u uw bezwaar uitleggen."
            "{% else %}Misschien nodigen wij u uit voor een gesprek (een hoorzitting). Daar kunt u uw bezwaar "
            "uitleggen.{% endif %}</p>\n"
            "{% if advisory_committee %}<p>Een onafhankelijke commissie, de bezwaarcommissie, geeft ons advies "
            "over uw bezwaar.</p>\n{% endif %}"
            "<p><strong>Wij beslissen uiterlijk op {{ decision_due }}.</strong> Hebben wij meer tijd nodig? "
            "Dan krijgt u vóór die datum een brief.</p>\n"
            "{% if late %}<p>Uw bezwaar kwam binnen na het einde van de termijn van zes weken "
            "({{ bezwaartermijn_end }}). Was u te laat door iets waar u niets aan kon doen? Schrijf ons dat "
            "dan binnen twee weken.</p>\n{% endif %}"
            "<h2>Wat moet u nu doen?</h2>\n"
            "<p>U hoeft nu niets te doen. Heeft u nog papieren die wij moeten zien? Stuur ze ons dan zo snel "
            "mogelijk, met het kenmerk van deze brief. Zolang wij op uw bezwaar beslissen, blijft ons besluit "
            "gelden (artikel 6:16 Algemene wet bestuursrecht).</p>\n"
        ),
        remedy=None,
    ),
    Kind(
        code=VERDAGING,
        label=_("bezwaar: verdaging van de beslissing"),
        subject="Wij hebben meer tijd nodig voor uw bezwaar",
        body=(
            f"<p>{_OPENING} Wij zouden uiterlijk op {{{{ previous_due }}}} op uw bezwaar beslissen. Dat lukt "
            "niet. Daarom stellen wij onze beslissing met zes weken uit (artikel 7:10, lid 3, Algemene wet "
            "bestuursrecht).</p>\n"
            "<h2>Waarom?</h2>\n"
            "<p>{{ extension_reason }}</p>\n"
            "<h2>Wanneer beslissen wij?</h2>\n"
            "<p><strong>Wij beslissen uiterlijk op {{ decision_due }}.</strong></p>\n"
            "<h2>Wat moet u nu doen?</h2>\n"
            "<p>U hoeft niets te doen. Heeft u vragen over deze brief? Bel ons.</p>\n"
        ),
        remedy=None,
    ),
    Kind(
        code=GEGROND,
        label=_("beslissing op bezwaar: gegrond"),
        subject=_SUBJECT_BESLISSING,
        body=(
            f"<p>{_OPENING} Wij hebben ons besluit opnieuw bekeken.</p>\n{_PROCEDURE}"
            "<h2>Onze beslissing</h2>\n"
            "<p><strong>Uw bezwaar is gegrond.</strong> Dat betekent dat u gelijk krijgt. Wij herroepen ons "
            "besluit met kenmerk {{ beschikking_number }}. In de plaats daarvan komt ons nieuwe besluit met "
            "kenmerk {{ herziening_number }} van {{ herziening_date }}: {{ herziening_product }}"
            "{% if herziening_start %}, vanaf {{ herziening_start }}{% endif %}. Dat nieuwe besluit heeft u in "
            "een aparte brief gekregen.</p>\n"
            "<h2>Waarom?</h2>\n"
            "<p>{{ motivation }}</p>\n"
            "<h2>Wat moet u nu doen?</h2>\n"
            "<p>U hoeft niets te doen. Wat u nu krijgt en wie u helpt, staat in de brief over het nieuwe "
            "besluit.</p>\n"
        ),
        remedy=kinds.BEROEP,
    ),
    Kind(
        code=ONGEGROND,
        label=_("beslissing op bezwaar: ongegrond"),
        subject=_SUBJECT_BESLISSING,
        body=(
            f"<p>{_OPENING} Wij hebben ons besluit opnieuw bekeken.</p>\n{_PROCEDURE}"
            "<h2>Onze beslissing</h2>\n"
            "<p><strong>Uw bezwaar is ongegrond.</strong> Dat betekent dat ons besluit met kenmerk "
            "{{ beschikking_number }} blijft zoals het is.</p>\n"
            "<h2>Waarom?</h2>\n"
            "<p>{{ motivation }}</p>\n"
            "<h2>Wat moet u nu doen?</h2>\n"
            "<p>U hoeft niets te doen. Bent u het niet eens met deze beslissing? Dan kunt u in beroep gaan bij "
            "de rechtbank. Hoe dat gaat, leest u hieronder.</p>\n"
        ),
        remedy=kinds.BEROEP,
    ),
    Kind(
        code=NIET_ONTVANKELIJK,
        label=_("beslissing op bezwaar: niet-ontvankelijk"),
        subject=_SUBJECT_BESLISSING,
        body=(
            f"<p>{_OPENING}</p>\n"
            "<h2>Onze beslissing</h2>\n"
            "<p><strong>Uw bezwaar is niet-ontvankelijk.</strong> Dat betekent dat wij niet inhoudelijk "
            "bekijken of u gelijk heeft. Ons besluit met kenmerk {{ beschikking_number }} blijft zoals het "
            "is.</p>\n"
            "<h2>Waarom?</h2>\n"
            "{% if late %}<p>U kon bezwaar maken tot en met {{ bezwaartermijn_end }}. Wij ontvingen uw bezwaar "
            "op {{ received_on }}. Dat is te laat (artikel 6:7 en 6:9 Algemene wet bestuursrecht). Wij vinden "
            "niet dat u daar een goede reden voor had (artikel 6:11).</p>\n{% endif %}"
            "<p>{{ motivation }}</p>\n"
            "<h2>Wat moet u nu doen?</h2>\n"
            "<p>U hoeft niets te doen. Bent u het niet eens met deze beslissing? Dan kunt u in beroep gaan bij "
            "de rechtbank. Hoe dat gaat, leest u hieronder.</p>\n"
        ),
        remedy=kinds.BEROEP,
    ),
    Kind(
        code=INTREKKING,
        label=_("bezwaar: bevestiging van de intrekking"),
        subject="U heeft uw bezwaar ingetrokken",
        body=(
            f"<p>{_OPENING}</p>\n"
            "<p>U heeft ons laten weten dat u dit bezwaar intrekt. Met deze brief bevestigen wij dat. Wij "
            "behandelen uw bezwaar niet verder (artikel 6:21 Algemene wet bestuursrecht). Ons besluit met "
            "kenmerk {{ beschikking_number }} blijft zoals het is.</p>\n"
            "<h2>Wat moet u nu doen?</h2>\n"
            "<p>U hoeft niets te doen. Klopt dit niet? Bel ons dan zo snel mogelijk.</p>\n"
        ),
        remedy=None,  # a withdrawal ends the procedure: no besluit, so no beroep (Awb 6:21, 8:1)
    ),
)


def register_kinds() -> None:
    """ObjectionsConfig.ready(): the bezwaar letter kinds join the letters registry."""
    for kind in KINDS:
        kinds.register(kind)


def _recipient(bezwaar: Bezwaar) -> dict | None:
    """The representative who filed the bezwaar, when the bezwaar records where to write to (else the
    letter goes to the client, as the letters app addresses it by default)."""
    lines = [line.strip() for line in bezwaar.representative_address.splitlines() if line.strip()]
    if bezwaar.filed_by != FiledBy.REPRESENTATIVE or not lines:
        return None
    name = bezwaar.representative_name
    return {"name": name, "lines": lines, "salutation": f"Geachte {name},"}


def _values(bezwaar: Bezwaar, *, today: date) -> dict:
    beschikking = bezwaar.beschikking
    return {
        "representative": _recipient(bezwaar) is not None,
        "received_on": dutch_date(bezwaar.received_on),
        "letter_date": dutch_date(bezwaar.letter_date),
        "beschikking_number": beschikking.number or "",
        "product": beschikking.product.name,
        "bezwaartermijn_end": dutch_date(bezwaar.bezwaartermijn_end),
        "late": not bezwaar.filed_in_time and not bezwaar.late_excusable,
        "hearing": bezwaar.hearing,
        "hearing_on": dutch_date(bezwaar.hearing_on),
        "hearing_held": bezwaar.hearing and (bezwaar.hearing_on is None or bezwaar.hearing_on <= today),
        "advisory_committee": bezwaar.advisory_committee,
        "decision_due": dutch_date(bezwaar.decision_due),
    }


def _issue(kind: str, bezwaar: Bezwaar, *, by, today: date, **values) -> Letter:
    client = bezwaar.beschikking.client
    return issue_letter(
        kind,
        client=client,
        municipality=client.municipality,
        values={**_values(bezwaar, today=today), **values},
        by=by,
        about=bezwaar,
        recipient=_recipient(bezwaar),
        today=today,
    )


def issue_receipt(bezwaar: Bezwaar, *, by, today: date) -> Letter:
    """The ontvangstbevestiging of a bezwaar just registered."""
    return _issue(ONTVANGST, bezwaar, by=by, today=today)


def issue_extension(bezwaar: Bezwaar, *, previous_due: date, by, today: date) -> Letter:
    """The verdagingsbrief (Awb 7:10 lid 3): the reason and the new date."""
    return _issue(
        VERDAGING,
        bezwaar,
        by=by,
        today=today,
        previous_due=dutch_date(previous_due),
        extension_reason=bezwaar.extension_reason,
    )


def issue_outcome(bezwaar: Bezwaar, *, by, today: date) -> Letter:
    """The letter of a decided bezwaar: the beslissing op bezwaar, or the confirmed withdrawal."""
    herziening = bezwaar.herziening
    extra = {"motivation": bezwaar.decision_motivation}
    if herziening is not None:
        extra |= {
            "herziening_number": herziening.number or "",
            "herziening_date": dutch_date(herziening.decision_date),
            "herziening_product": herziening.product.name,
            "herziening_start": dutch_date(herziening.start_date),
        }
    return _issue(OUTCOME_KINDS[bezwaar.status], bezwaar, by=by, today=today, **extra)


def herziening_values(indication: Indication) -> dict:
    """letters.decision_letters: the letter of a beschikking that replaces one against which a bezwaar
    runs says it follows that bezwaar (and, Awb 6:19, that the bezwaar counts against it too)."""
    if not indication.replaces_id:
        return {}
    bezwaar = (
        Bezwaar.objects.filter(beschikking_id=indication.replaces_id, status=BezwaarStatus.OPEN)
        .only("received_on")
        .first()
    )
    return {"bezwaar_received_on": dutch_date(bezwaar.received_on)} if bezwaar else {}
