"""The audit trail behind the accounts' second-factor hook (accounts.hooks): the project wiring
knows both sibling apps, so it connects them (registered in sddcase.apps at start-up)."""

from accounts.hooks import SecondFactorEvent
from audit.services import record_event


def record_second_factor_event(event: SecondFactorEvent) -> None:
    record_event(
        actor=event.actor,
        action=event.action,
        obj=event.user,
        summary=event.summary,
        changes=event.changes,
        ip_address=event.ip_address,
    )
