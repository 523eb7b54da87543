"""Every write and state change of the case file, from melding to beschikking.

Each service validates, writes inside one transaction, records the audit event and returns the
object. Views, forms, admin, management commands and tasks all call these functions. Rule
violations raise django.core.exceptions.ValidationError with Dutch messages and stable codes.

The services live in modules by responsibility; this module is their one public face, so callers
keep writing `from indications import services` and `services.issue_beschikking(...)`:
- `onderzoek_services`: the client, melding, onderzoek (gesprekken, ZRM, conclusion, nazorg),
  aanvraag and other provisions;
- `beschikking_services`: the concept, vaststelling, activation, beëindiging, intrekking and the
  evaluations of a beschikking;
- `ib_rules`: the IB rules, a pure module (no writes);
- `nightly`: the nightly status jobs, each row on its own.

Names: English verbs with the Dutch legal term for the thing (melding, aanvraag, beschikking); a
service acting on a beschikking's life cycle is `<verb>_beschikking`, on the concept before it
`<verb>_indication_concept`, and a nightly job `<verb>_<which>_beschikkingen`.
"""

from .beschikking_services import (
    INDICATION_FIELDS,
    PGB_FIELDS,
    ResultInput,
    activate_beschikking,
    end_beschikking,
    issue_beschikking,
    record_evaluation,
    save_indication_concept,
    save_refusal_concept,
    withdraw_beschikking,
)
from .ib_rules import check_ib_rules, melding_date_of, one_indication_errors
from .nightly import NightlyOutcome, activate_started_beschikkingen, each_row_on_its_own, end_expired_beschikkingen
from .onderzoek_services import (
    CLIENT_FIELDS,
    MANTELZORGER_FIELDS,
    add_conversation,
    add_mantelzorger,
    conclude_intake,
    record_nazorg,
    record_other_provision,
    record_persoonlijk_plan,
    record_zrm_assessment,
    register_aanvraag,
    register_client,
    register_melding,
    remove_mantelzorger,
    update_client,
    update_mantelzorger,
)

__all__ = [
    "CLIENT_FIELDS",
    "MANTELZORGER_FIELDS",
    "INDICATION_FIELDS",
    "PGB_FIELDS",
    "NightlyOutcome",
    "ResultInput",
    "each_row_on_its_own",
    "activate_beschikking",
    "activate_started_beschikkingen",
    "add_conversation",
    "add_mantelzorger",
    "check_ib_rules",
    "conclude_intake",
    "end_beschikking",
    "end_expired_beschikkingen",
    "issue_beschikking",
    "melding_date_of",
    "one_indication_errors",
    "record_evaluation",
    "record_nazorg",
    "record_persoonlijk_plan",
    "record_other_provision",
    "record_zrm_assessment",
    "register_aanvraag",
    "register_client",
    "register_melding",
    "remove_mantelzorger",
    "save_indication_concept",
    "save_refusal_concept",
    "update_client",
    "update_mantelzorger",
    "withdraw_beschikking",
]
