"""The bezwaren on the beschikking page (indications.panels), registered in ObjectionsConfig.ready():
the bezwaren against this beschikking and the way to register one."""

from collections.abc import Mapping

from indications.panels import PanelRequest

from . import selectors


def indication_detail_panel(panel: PanelRequest) -> Mapping[str, object]:
    indication = panel.subject
    if not indication.is_decided or not panel.request.user.has_perm("objections.view_bezwaar"):
        return {}
    return {"bezwaren": selectors.bezwaren_of(indication), "bezwaar_panel": True}
