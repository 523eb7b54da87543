"""Pages for the functioneel beheerder / privacy officer: a client's access log and AVG export."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from audit.services import record_read

from .models import Client
from .privacy import access_log, inzage_export


@permission_required("audit.view_auditevent", raise_exception=True)
def client_access_log(request, client_uuid):
    client = get_object_or_404(Client.objects.select_related("municipality"), uuid=client_uuid)
    record_read(request, client, client_id=client.pk, summary="inzagelog bekeken")
    page = Paginator(access_log(client), 50).get_page(request.GET.get("pagina"))
    return render(request, "indications/access_log.html", {"client": client, "page": page})


@permission_required("indications.export_client_data", raise_exception=True)
def client_inzage_export(request, client_uuid):
    client = get_object_or_404(Client, uuid=client_uuid)
    record_read(request, client, client_id=client.pk, summary="AVG-inzage-export gemaakt")
    response = HttpResponse(
        inzage_export(client), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"inzage-{client.bsn[-4:]}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
