"""The iWmo 3.2 code lists this app uses, as our own reference data (Zorginstituut Nederland's lists,
release 3.2): the message codes (COD002), the retourcodes (WJ001) with their Dutch meaning, and the
values of the Omvang (WJ756 eenheid, WMO757 frequentie); WJ758/WJ759/WJ760 (the verzoek's reason,
the reason of a refusal and the answer kind) from providers.codes. The municipalities' CBS codes are
indications.Municipality.code, the product codes indications.Product.iwmo_category / iwmo_code, and
the reasons (WMO002, WMO588) providers.codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# WJ758 reden verzoek, WJ759 reden afwijzing verzoek, WJ760 verzoek antwoord: the provider domain
# keeps them (a ChangeRequest stores them, its service checks them); this app speaks them in XML.
from providers.codes import RedenAfwijzingVerzoek, RedenVerzoek, VerzoekAntwoord  # noqa: F401

RELEASE = "3.2"
BERICHT_VERSIE = "3"
BERICHT_SUBVERSIE = "2"
# The versions of the XSD set we write against (Basisschema and every message schema of release 3.2).
BASISSCHEMA_XSD_VERSIE = "1.0.0"
BERICHT_XSD_VERSIE = "1.0.0"


class MessageType(models.TextChoices):
    """The message types with their berichtcode (COD002): value = the type, `code()` the number."""

    WMO301 = "WMO301", _("WMO301 toewijzing")
    WMO302 = "WMO302", _("WMO302 retour toewijzing")
    WMO305 = "WMO305", _("WMO305 start ondersteuning")
    WMO306 = "WMO306", _("WMO306 retour start ondersteuning")
    WMO307 = "WMO307", _("WMO307 stop ondersteuning")
    WMO308 = "WMO308", _("WMO308 retour stop ondersteuning")
    WMO315 = "WMO315", _("WMO315 verzoek om toewijzing")
    WMO316 = "WMO316", _("WMO316 retour verzoek om toewijzing")
    WMO317 = "WMO317", _("WMO317 verzoek om wijziging")
    WMO318 = "WMO318", _("WMO318 retour verzoek om wijziging")
    WMO319 = "WMO319", _("WMO319 antwoordbericht")
    WMO320 = "WMO320", _("WMO320 retour antwoordbericht")
    WMO323 = "WMO323", _("WMO323 declaratie")
    WMO325 = "WMO325", _("WMO325 declaratie-antwoord")


# COD002 (Vektis berichtcode) per message type.
BERICHTCODE = {
    MessageType.WMO301: "414",
    MessageType.WMO302: "415",
    MessageType.WMO305: "418",
    MessageType.WMO306: "419",
    MessageType.WMO307: "420",
    MessageType.WMO308: "421",
    MessageType.WMO315: "444",
    MessageType.WMO316: "445",
    MessageType.WMO317: "480",
    MessageType.WMO318: "481",
    MessageType.WMO319: "482",
    MessageType.WMO320: "483",
    MessageType.WMO323: "484",
    MessageType.WMO325: "485",
}
MESSAGE_TYPE_OF_CODE = {code: message_type for message_type, code in BERICHTCODE.items()}
# The retour message that answers a heenbericht.
RETOUR_OF = {
    MessageType.WMO301: MessageType.WMO302,
    MessageType.WMO305: MessageType.WMO306,
    MessageType.WMO307: MessageType.WMO308,
    MessageType.WMO315: MessageType.WMO316,
    MessageType.WMO317: MessageType.WMO318,
    MessageType.WMO319: MessageType.WMO320,
    # The declaratie-antwoord answers the declaratie (its header names the 323 in DeclaratieIdentificatie).
    MessageType.WMO323: MessageType.WMO325,
}


def namespace(message_type: str) -> str:
    """The XML namespace of a message type, e.g. http://www.istandaarden.nl/iwmo/3_2/wmo301/schema."""
    return f"http://www.istandaarden.nl/iwmo/3_2/{message_type.lower()}/schema"


BASIS_NAMESPACE = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"


class Retourcode(models.TextChoices):
    """WJ001: the result of judging (a part of) a received message. Only the codes this app emits or
    reads; every one is in the release's LDT_RetourCode."""

    TECHNISCH_AFGEKEURD = "0001", _("Bericht is afgekeurd om technische redenen.")
    GEEN_OPMERKING = "0200", _("Geen opmerking over deze berichtklasse.")
    NIET_BEOORDEELD = "0233", _("Berichtklasse is niet beoordeeld.")
    DAGTEKENING_IN_TOEKOMST = "8848", _("Dagtekening moet gelijk zijn aan of voor de systeemdatum liggen.")
    IDENTIFICATIE_NIET_UNIEK = "9056", _("Identificatie moet uniek zijn.")
    GEEN_TOEWIJZING = "9019", _("Het regiebericht kan niet gekoppeld worden aan een toewijzing.")
    GEEN_EERDER_BERICHT = "9063", _("Het bericht kan niet verwerkt worden omdat geen eerder bericht ontvangen is.")
    GEEN_ACTUEEL_STARTBERICHT = "9069", _("Er is geen actueel startbericht met dezelfde sleutel.")
    SLEUTEL_AL_ONTVANGEN = "9074", _("Er is al een eerder bericht ontvangen met dezelfde sleutel.")
    LEVERING_NIET_GESTOPT = "9326", _("De actuele levering is nog niet gestopt met een Stopbericht.")
    STOP_AL_ONTVANGEN = (
        "9415",
        _(
            "Er is al een StopProduct met gelijk Bsn, ToewijzingNummer, Begindatum en RedenBeeindiging <> waarde 20 "
            "en StatusAanlevering heeft waarde 1 of 2."
        ),
    )
    BSN_ONBEKEND = "8187", _("Bsn moet overeenkomen met het Bsn van een cliënt (TR304).")
    REFERENTIE_NIET_UNIEK = "9347", _("ReferentieAanbieder moet uniek zijn voor de aanbieder (TR347).")
    NIET_ALLE_ACTUELE_PRODUCTEN = (
        "9349",
        _("Het verzoek om wijziging moet alle actuele toegewezen producten van de cliënt bevatten (TR349)."),
    )
    ONGEWIJZIGD_GEEN_TOEWIJZING = (
        "9350",
        _("Het ongewijzigde product hoort niet bij een actueel toegewezen product (TR350)."),
    )
    TE_WIJZIGEN_GEEN_TOEWIJZING = (
        "9351",
        _("Het te wijzigen product hoort niet bij een actueel toegewezen product (TR351)."),
    )
    GEWENSTE_INGANGSDATUM = (
        "9357",
        _(
            "Een gewenste ingangsdatum op of voor de dagtekening moet gelijk zijn aan de ingangsdatum van de "
            "toewijzing (TR357)."
        ),
    )
    TOEWIJZINGNUMMER_NIET_UNIEK = "9332", _("Toewijzing heeft geen uniek nummer binnen wettelijk domein.")  # TR332
    GEMEENTECODE_ONGELDIG = "S300", _("Gemeentecode ongeldig.")
    PRODUCTCODE_ONGELDIG = "S329", _("ProductCode ongeldig.")
    # The declaratie (WMO323), judged in billing.services (docs/billing.md): the rule in brackets.
    TARIEF_NIET_CONTRACTUEEL = "0611", _("Het ingediende tarief komt niet overeen met het contractuele tarief (TR418).")
    GEEN_DEBET_BEKEND = "8017", _("Van deze credit prestatie is geen debet prestatie bekend (TR323).")
    REFERENTIE_AL_AANGELEVERD = "8021", _("Referentienummer prestatie is reeds aangeleverd (TR314).")
    BEGIN_BUITEN_TOEWIJZING = (
        "9307",
        _("Begindatum prestatie ligt niet tussen de ingangsdatum en einddatum toewijzing (TR307)."),
    )
    EINDE_BUITEN_TOEWIJZING = (
        "9308",
        _("Einddatum prestatie ligt niet tussen de ingangsdatum en einddatum toewijzing (TR308)."),
    )
    PERIODE_BUITEN_DECLARATIEPERIODE = (
        "9319",
        _("De ProductPeriode valt niet geheel binnen een DeclaratiePeriode (TR319)."),
    )
    VOLUME_TE_HOOG = "9321", _("Het ingediende volume overschrijdt het toegewezen volume (TR321).")
    SOM_VOLUME_TE_HOOG = "9322", _("De som van de ingediende volumes overschrijdt het toegewezen volume (TR322).")
    DECLARATIENUMMER_NIET_UNIEK = "9333", _("Declaratienummer is niet uniek (TR333).")
    DECLARATIEPERIODE_NIET_AANSLUITEND = (
        "8214",
        _(
            "DeclaratiePeriode is niet de kalendermaand die volgt op voorgaande DeclaratiePeriode terwijl iedere "
            "declaratieperiode zorg geleverd is (TR318)."
        ),
    )
    PRESTATIE_ZONDER_TOEWIJZING = (
        "9338",
        _(
            "Niet iedere prestatie in een declaratiebericht is gerelateerd aan een toegewezen product op basis "
            "van het toewijzingnummer (TR338)."
        ),
    )
    PRODUCTCATEGORIE_ANDERS = (
        "9339",
        _("ProductCategorie in de prestatie is niet gelijk aan ProductCategorie in het ToegewezenProduct (TR339)."),
    )
    PRODUCTCODE_ANDERS = (
        "9340",
        _("ProductCode in de Prestatie is niet gelijk aan ProductCode in het ToegewezenProduct (TR340)."),
    )
    EENHEID_ANDERS = "9341", _("Eenheid in de Prestatie past niet bij Eenheid in het ToegewezenProduct (TR341).")
    BEDRAG_NIET_VOLUME_MAAL_TARIEF = (
        "9346",
        _(
            "Eenheid is ongelijk aan waarde 83 (Euro's), maar IngediendBedrag is niet gelijk aan GeleverdVolume "
            "vermenigvuldigd met het ProductTarief (TR346)."
        ),
    )
    TOEWIJZING_VERWIJDERD = "9384", _("Declaratie op toewijzing met RedenWijziging 13 (Verwijderd) (TR384).")
    BEGIN_NIET_EERSTE_DAG = (
        "9387",
        _(
            "Begindatum van de ProductPeriode is niet de eerste dag van de kalendermaand en de ingangsdatum van "
            "de toewijzing ligt niet later in die maand (TR387)."
        ),
    )
    EINDE_NIET_LAATSTE_DAG = (
        "9388",
        _(
            "Einddatum van de ProductPeriode is niet de laatste dag van de kalendermaand en de einddatum van "
            "de toewijzing ligt niet eerder in die maand (TR388)."
        ),
    )
    DEBET_ZONDER_CREDIT = (
        "9389",
        _("Deze prestatie heeft een debetprestatie zonder bijbehorende creditprestatie (TR389)."),
    )
    AL_GECREDITEERD = "9390", _("Er is al een Prestatie met gelijk ProductReferentie met waarde Credit (TR390).")


ACCEPTED = Retourcode.GEEN_OPMERKING


class Eenheid(models.TextChoices):
    """WJ756, the units an output-financed (resultaatgericht) toewijzing may use."""

    STUKS_OUTPUT = "82", _("stuks (output)")
    EUROS = "83", _("euro's")


class EenheidDeclaratie(models.TextChoices):
    """WJ756 in full: the units a contract may price and a declaratie may bill in (a toewijzing of
    ours uses only the output units of `Eenheid`; another product may be billed in time units)."""

    MINUUT = "01", _("minuut")
    UUR = "04", _("uur")
    ETMAAL = "14", _("etmaal")
    DAGDEEL = "16", _("dagdeel (4 uur)")
    STUKS_OUTPUT = "82", _("stuks (output)")
    EUROS = "83", _("euro's")
    STUKS_INSPANNING = "84", _("stuks (inspanning)")


class Frequentie(models.TextChoices):
    """WMO757, the frequencies an output-financed toewijzing may use (per week needs an end date, CD076)."""

    PER_MAAND = "4", _("per maand")
    TOTAAL = "6", _("totaal binnen geldigheidsduur toewijzing")


class StatusAanlevering(models.TextChoices):
    """COD467; in a 305/307 only 1 and 3 are allowed (CS058, OP033x2)."""

    NIEUW = "1", _("eerste aanlevering")
    GEWIJZIGD = "2", _("gewijzigde aanlevering")
    VERWIJDEREN = "3", _("aanlevering verwijderen")


# COD046 geslacht, from the client's gender (indications.Client.Gender).
GESLACHT = {"M": "1", "V": "2", "X": "0"}
# COD700 naamgebruik: 1 = eigen naam.
NAAMGEBRUIK_EIGEN_NAAM = "1"
# COD757 soort adres: 01 = BRP-adres.
ADRES_BRP = "01"
# WMO002 13 (verwijderd): a withdrawn toewijzing; CS335 requires Einddatum = Ingangsdatum with it.
REDEN_WIJZIGING_VERWIJDERD = "13"


# -- Verzoek om toewijzing (WMO315 / WMO316) ---------------------------------------------------


class RetourcodeVerzoek(models.TextChoices):
    """WJ001 codes of the technical rules that only a verzoek (WMO315, WMO317) has."""

    REFERENTIE_NIET_UNIEK = (
        "9347",
        _("ReferentieAanbieder is niet uniek voor de aanbieder binnen het wettelijk domein."),
    )
    VERZOEK_ONDERHANDEN = "9374", _("Er is al een verzoek onderhanden.")


# The meaning of every retourcode the WMO316 may carry.
RETOURCODE_LABEL = {**dict(Retourcode.choices), **dict(RetourcodeVerzoek.choices)}
