"""The signal engine's panel on the consultant's worklist (see indications.panels), registered in
SignalsConfig.ready(): the consultant's open signals as counts per type and the most urgent few
(they are handled on the signals page)."""

from collections.abc import Mapping

from indications.panels import PanelRequest

from . import selectors

WORKLIST_URGENT_SIGNALS = 5


def worklist_panel(panel: PanelRequest) -> Mapping[str, object]:
    own_signals = selectors.signals_for(panel.subject)
    signal_counts = selectors.counts_by_type(own_signals)
    return {
        "signal_counts": signal_counts,
        "signal_count": sum(row.total for row in signal_counts),
        "urgent_signals": selectors.most_urgent(own_signals, limit=WORKLIST_URGENT_SIGNALS),
    }
