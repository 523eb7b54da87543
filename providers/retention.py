"""The provider domain's part in the destruction of a closed client file (indications.retention):
the verzoeken om toewijzing lose the BSN they arrived with and their texts, the verzoeken om
wijziging and the ondersteuningsplannen their texts, and a plan's PDF is deleted from the private
storage once the anonymisation has committed. The toewijzingen, care events, products, dates and
volumes stay (the SLA figures). Registered in ProvidersConfig.ready()."""

from django.db import transaction

from indications.hooks import ClientAnonymisation
from indications.retention import blank_texts, blanked, placeholder_bsn

from .models import AssignmentRequest, ChangeRequest, SupportPlan, SupportPlanPart


def anonymise_provider_data(change: ClientAnonymisation) -> dict[str, int]:
    client_id, placeholder = change.client_id, change.placeholder
    requests = AssignmentRequest.objects.filter(client_id=client_id)
    counts = {AssignmentRequest._meta.label_lower: requests.update(bsn=placeholder_bsn(client_id))}
    blank_texts(requests, ["comment", "referrer", "motivation"], placeholder)
    counts[ChangeRequest._meta.label_lower] = blank_texts(
        ChangeRequest.objects.filter(assignment__indication__client_id=client_id),
        ["motivation", "answer_reason"],
        placeholder,
    )
    plans = SupportPlan.objects.filter(assignment__indication__client_id=client_id)
    storage = SupportPlan._meta.get_field("pdf").storage
    files = list(plans.exclude(pdf="").values_list("pdf", flat=True))
    counts[SupportPlan._meta.label_lower] = plans.update(remark=blanked("remark", placeholder), pdf="", pdf_sha256="")
    counts[SupportPlanPart._meta.label_lower] = blank_texts(
        SupportPlanPart.objects.filter(plan__assignment__indication__client_id=client_id),
        ["approach", "steps"],
        placeholder,
    )
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return counts
