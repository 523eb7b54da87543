"""Typed hooks through which the case file tells the layers above it that something changed.

The case file (indications) and the provider domain sit below the apps that watch them (signals).
They cannot import those apps, so a higher app registers a callback here at start-up (in its
AppConfig.ready) and the services call `case_changed(client_id, today=...)` after a change: the
signal engine then re-evaluates its checks for that client at once, instead of the next night.
"""

from collections.abc import Callable
from datetime import date

CaseChangedHook = Callable[[int, date], None]

_case_changed_hooks: list[CaseChangedHook] = []


def on_case_changed(hook: CaseChangedHook) -> None:
    """Register `hook(client_id, today)`; registering the same hook twice keeps one."""
    if hook not in _case_changed_hooks:
        _case_changed_hooks.append(hook)


def case_changed(client_id: int, *, today: date) -> None:
    """A service changed the case of this client on `today`: run every registered hook. Call it
    inside the service's transaction, after the change, so that the hooks see the new state."""
    for hook in list(_case_changed_hooks):
        hook(client_id, today)
