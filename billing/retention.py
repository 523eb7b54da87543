"""The declaraties' part in the destruction of a closed client file (indications.retention): a
prestatie keeps its product, period, amounts and decision, and its BSN (as it was declared) is
replaced by the client's placeholder. Registered in BillingConfig.ready(). Open: the stored payment
files (PaymentExport) hold the BSNs of a whole run and are not rewritten."""

from indications.hooks import ClientAnonymisation
from indications.retention import placeholder_bsn

from .models import Prestatie


def anonymise_prestaties(change: ClientAnonymisation) -> dict[str, int]:
    updated = Prestatie.objects.filter(client_id=change.client_id).update(bsn=placeholder_bsn(change.client_id))
    return {Prestatie._meta.label_lower: updated}
