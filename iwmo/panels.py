"""The iWmo panel on the consultant's client file (indications.panels.CLIENT_FILE): the client's
latest messages in and out, linking to all of them (iwmo:client), and its verzoeken om toewijzing
(WMO315) and om wijziging (WMO317); and on the worklist (indications.panels.WORKLIST) the messages
a provider rejected in its retour (302/320) for this consultant's clients. Registered in
IwmoConfig.ready()."""

from collections.abc import Mapping

from django.core.paginator import Paginator

from indications.panels import PanelRequest
from indications.views import WORKLIST_PAGE_SIZE

from . import selectors

# The worklist's query parameter of the page of rejected retours.
REJECTED_RETOURS_PARAM = "afgekeurde-retours"


def client_file_panel(panel: PanelRequest) -> Mapping[str, object]:
    messages, more = selectors.latest_of_client(panel.request.user, panel.subject)
    toewijzing, wijziging = selectors.verzoeken_of_client(panel.subject)
    return {
        "iwmo_messages": messages,
        "iwmo_more_messages": more,
        "iwmo_assignment_requests": toewijzing,
        "iwmo_change_requests": wijziging,
    }


def worklist_panel(panel: PanelRequest) -> Mapping[str, object]:
    page = Paginator(selectors.rejected_retours_on_worklist(panel.subject), WORKLIST_PAGE_SIZE).get_page(
        panel.request.GET.get(REJECTED_RETOURS_PARAM)
    )
    return {"rejected_retours": page, "rejected_retours_param": REJECTED_RETOURS_PARAM}
