"""The iWmo panel on the consultant's client file (indications.panels.CLIENT_FILE): the client's
latest messages in and out, linking to all of them (iwmo:client), and its verzoeken om toewijzing
(WMO315) and om wijziging (WMO317). Registered in IwmoConfig.ready()."""

from collections.abc import Mapping

from indications.panels import PanelRequest

from . import selectors


def client_file_panel(panel: PanelRequest) -> Mapping[str, object]:
    messages, more = selectors.latest_of_client(panel.request.user, panel.subject)
    toewijzing, wijziging = selectors.verzoeken_of_client(panel.subject)
    return {
        "iwmo_messages": messages,
        "iwmo_more_messages": more,
        "iwmo_assignment_requests": toewijzing,
        "iwmo_change_requests": wijziging,
    }
