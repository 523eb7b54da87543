"""The registry of letter kinds: what letters the system sends, each with its default texts.

A kind says what a letter is (its code, its Dutch name), which fixed parts the letter carries (the
decision's details, the notice on the eigen bijdrage, the remedy clause: bezwaar against a primary
besluit, beroep against a beslissing op bezwaar, none for a letter that is no besluit) and the default texts that
seed its first LetterTemplate (subject and body, editable afterwards as data by a functioneel
beheerder). The letters app registers the kinds of the beschikking and of the verslag van het
onderzoek here; a higher app (objections) registers its own kinds at start-up with
`letters.kinds.register(Kind(...))`. The texts are B1 Dutch; the body is a small Django template
rendered by the restricted engine of letters.rendering (placeholders such as {{ product }}).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The legal remedy a letter names (its fixed clause in templates/letters/includes/remedy_*.html):
# bezwaar to the college against a primary besluit (Awb 6:4, 6:7); beroep to the rechtbank against a
# beslissing op bezwaar (Awb 7:1, 8:1, 6:7); both with the voorlopige voorziening (Awb 8:81).
BEZWAAR = "bezwaar"
BEROEP = "beroep"
REMEDIES = (BEZWAAR, BEROEP)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    subject: str
    body: str
    # The fixed parts of the letter: the decision's details (product, results, dates, provider or
    # pgb, evaluation), the eigen bijdrage notice (CAK) and the remedy clause (BEZWAAR, BEROEP or None).
    decision_details: bool = False
    eigen_bijdrage: bool = False
    remedy: str | None = BEZWAAR

    def __post_init__(self):
        if self.remedy is not None and self.remedy not in REMEDIES:
            raise ValueError(f"Unknown remedy {self.remedy!r} of letter kind {self.code!r}")

    @property
    def appealable(self) -> bool:
        """Whether the letter is a besluit open to a remedy (bezwaar or beroep)."""
        return self.remedy is not None


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Register a kind; registering the same code again replaces it (a re-import at start-up)."""
    _kinds[kind.code] = kind
    return kind


def get(code: str) -> Kind:
    try:
        return _kinds[code]
    except KeyError:
        raise LookupError(f"Unknown letter kind {code!r}") from None


def all_kinds() -> tuple[Kind, ...]:
    return tuple(_kinds.values())


def choices() -> list[tuple[str, str]]:
    return [(kind.code, kind.label) for kind in _kinds.values()]


TOEKENNING = "beschikking_toekenning"
AFWIJZING = "beschikking_afwijzing"
WIJZIGING = "beschikking_wijziging"
BEEINDIGING = "beschikking_beeindiging"
INTREKKING = "beschikking_intrekking"
VERSLAG = "verslag_onderzoek"

register(
    Kind(
        code=TOEKENNING,
        label=_("beschikking: toekenning"),
        subject="Besluit over uw aanvraag voor {{ product }}",
        body=(
            "<p>U heeft bij ons hulp gevraagd. Wij hebben met u gesproken en uw situatie onderzocht. "
            "In deze brief leest u ons besluit.</p>\n"
            "<p><strong>U krijgt {{ product }}.</strong> Dat is hulp van een begeleider, zodat u "
            "uw dagelijks leven beter zelf kunt regelen.</p>\n"
            "{% if partial_motivation %}<p>U krijgt niet alles wat u heeft gevraagd. "
            "De reden is: {{ partial_motivation }}</p>\n{% endif %}"
            "<h2>Wat moet u nu doen?</h2>\n"
            "{% if pgb %}<p>U krijgt een persoonsgebonden budget (pgb). U kiest zelf wie u helpt. "
            "Sluit met die persoon of organisatie een zorgovereenkomst en stuur die naar de SVB.</p>\n"
            "{% else %}<p>{{ provider }} neemt binnen twee weken contact met u op om een afspraak te maken. "
            "Samen maakt u een plan. Hoort u niets? Bel ons dan.</p>\n{% endif %}"
        ),
        decision_details=True,
        eigen_bijdrage=True,
    )
)
register(
    Kind(
        code=WIJZIGING,
        label=_("beschikking: wijziging"),
        subject="Wijziging van uw {{ product }}",
        body=(
            "<p>Uw situatie is veranderd. Daarom hebben wij opnieuw bekeken welke hulp u nodig heeft. "
            "In deze brief leest u ons nieuwe besluit. Dit besluit vervangt ons besluit met kenmerk "
            "{{ replaces_number }}.</p>\n"
            "{% if bezwaar_received_on %}<p>Dit besluit volgt op uw bezwaar van {{ bezwaar_received_on }} tegen "
            "dat besluit. Over uw bezwaar krijgt u nog een aparte brief: onze beslissing op bezwaar.</p>\n{% endif %}"
            "<p><strong>U krijgt vanaf {{ start_date }} {{ product }}.</strong></p>\n"
            "{% if partial_motivation %}<p>U krijgt niet alles wat u heeft gevraagd. "
            "De reden is: {{ partial_motivation }}</p>\n{% endif %}"
            "<h2>Wat moet u nu doen?</h2>\n"
            "{% if pgb %}<p>Pas uw zorgovereenkomst aan en stuur die naar de SVB.</p>\n"
            "{% else %}<p>U hoeft niets te doen. {{ provider }} hoort van ons wat er verandert.</p>\n{% endif %}"
        ),
        decision_details=True,
        eigen_bijdrage=True,
    )
)
register(
    Kind(
        code=AFWIJZING,
        label=_("beschikking: afwijzing"),
        subject="Besluit over uw aanvraag voor {{ product }}",
        body=(
            "<p>U heeft bij ons hulp gevraagd. Wij hebben met u gesproken en uw situatie onderzocht. "
            "In deze brief leest u ons besluit.</p>\n"
            "<p><strong>U krijgt geen {{ product }}.</strong></p>\n"
            "<h2>Waarom niet?</h2>\n"
            "<p>De reden is: {{ refusal_ground }}.</p>\n"
            "<p>{{ refusal_motivation }}</p>\n"
            "<h2>Wat moet u nu doen?</h2>\n"
            "<p>U hoeft niets te doen. Heeft u vragen over dit besluit? Bel ons. Wij leggen het graag uit. "
            "Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Hoe dat gaat, leest u hieronder.</p>\n"
        ),
    )
)
register(
    Kind(
        code=BEEINDIGING,
        label=_("beschikking: beëindiging"),
        subject="Einde van uw {{ product }}",
        body=(
            "<p>U krijgt {{ product }} (besluit met kenmerk {{ indication_number }}). "
            "Met deze brief laten wij u weten dat deze hulp stopt.</p>\n"
            "<p><strong>De laatste dag van uw hulp is {{ ended_on }}.</strong></p>\n"
            "<p>De reden is: {{ end_reason }}</p>\n"
            "<h2>Wat moet u nu doen?</h2>\n"
            "<p>U hoeft niets te doen. {% if pgb %}Laat de SVB weten dat uw zorgovereenkomst stopt."
            "{% else %}{{ provider }} hoort van ons dat de hulp stopt.{% endif %} "
            "Heeft u later weer hulp nodig? Neem dan contact met ons op.</p>\n"
        ),
    )
)
register(
    Kind(
        code=INTREKKING,
        label=_("beschikking: intrekking"),
        subject="Intrekking van ons besluit over {{ product }}",
        body=(
            "<p>Wij hebben u eerder {{ product }} toegekend (besluit met kenmerk {{ indication_number }}). "
            "Met deze brief trekken wij dat besluit in. Het besluit geldt niet meer, ook niet voor de "
            "periode die al voorbij is.</p>\n"
            "<p>De reden is: {{ withdrawal_reason }}</p>\n"
            "<h2>Wat moet u nu doen?</h2>\n"
            "<p>Heeft u vragen over deze brief? Bel ons. Wij leggen het graag uit.</p>\n"
        ),
    )
)
register(
    Kind(
        code=VERSLAG,
        label=_("verslag van het onderzoek"),
        subject="Verslag van ons gesprek en onderzoek",
        body=(
            "<p>U heeft zich bij ons gemeld omdat u hulp nodig heeft. Wij hebben met u gesproken en uw "
            "situatie onderzocht. Het verslag daarvan krijgt u met deze brief (artikel 2.3.2, lid 8, "
            "Wet maatschappelijke ondersteuning 2015).</p>\n"
            "{% if persoonlijk_plan %}<h2>Uw persoonlijk plan</h2>\n<p>{{ persoonlijk_plan }}</p>\n{% endif %}"
            "<h2>Het verslag</h2>\n"
            '<div class="report">{{ report|linebreaks }}</div>\n'
            "<h2>Wat moet u nu doen?</h2>\n"
            "<p>Lees het verslag goed. Klopt er iets niet, of mist u iets? Laat het ons binnen twee weken "
            "weten; dan passen wij het aan. Wilt u hulp aanvragen? Dan kunt u een aanvraag doen. "
            "Dit verslag is nog geen besluit: u kunt er geen bezwaar tegen maken.</p>\n"
        ),
        remedy=None,  # not a besluit (art. 2.3.2 lid 8 Wmo 2015): no bezwaar
    )
)
