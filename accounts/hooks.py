"""The typed hook through which accounts has its second-factor changes audited.

accounts and audit are siblings in the bottom layer and do not import each other, yet every
enrolment, verification, refused code and reset belongs in the audit trail. So the accounts
services call `second_factor_event` by name, inside their transaction, and the project wiring
(sddcase.apps, at start-up) registers `audit.services.record_event` behind it. Required: a change of
a user's second factor without its audit event must not happen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class SecondFactorEvent:
    """What happened to `user`'s second factor, done by `actor` (the user, or a beheerder's reset).
    `action` is one of the audit trail's actions: create, transition, rejected, delete."""

    actor: Any
    user: Any
    action: str
    summary: str
    changes: dict = field(default_factory=dict)
    ip_address: str | None = None


class Hook:
    def __init__(self, name: str, *, required: bool = False):
        self.name = name
        self.required = required
        self._callbacks: list[Callable[[SecondFactorEvent], None]] = []

    def register(self, callback: Callable[[SecondFactorEvent], None]):
        """Register a callback; registering the same one twice keeps one."""
        if callback not in self._callbacks:
            self._callbacks.append(callback)
        return callback

    def __call__(self, event: SecondFactorEvent) -> None:
        if self.required and not self._callbacks:
            raise ImproperlyConfigured(f"No callback is registered for the accounts hook {self.name!r}.")
        for callback in self._callbacks:
            callback(event)

    def __repr__(self) -> str:
        return f"Hook({self.name!r}, {len(self._callbacks)} callbacks)"


second_factor_event = Hook("second_factor_event", required=True)
