"""Helpers of the payment-run tests: a provider's bank account with valid check digits, and an
accepted declaratie of one month submitted for a provider."""

import itertools
from datetime import date

from billing.spending import month_end
from providers.iban import check_digits
from tests.billing.declaraties import declaratie, ib1_assignment, line, submit

_accounts = itertools.count(100)


def iban_for(bank: str = "ABNA", account: int | None = None) -> str:
    bban = f"{bank}{account if account is not None else next(_accounts):010d}"
    return f"NL{check_digits('NL', bban)}{bban}"


def with_bank_account(provider, **fields):
    provider.iban = fields.get("iban", iban_for())
    provider.bic = fields.get("bic", "")
    provider.account_holder = fields.get("account_holder", "")
    provider.save()
    return provider


def month_period(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, month_end(first)


def billed_month(provider, assignment, year: int, month: int, **kwargs):
    """One accepted debit of a month IB1 on `assignment`; returns (outcome, the line sent)."""
    period = month_period(year, month)
    debit = line(assignment, period_start=period[0], period_end=period[1])
    outcome = submit(
        declaratie(debit, period=period, dagtekening=kwargs.pop("dagtekening", None) or period[1]), provider, **kwargs
    )
    return outcome, debit


__all__ = ["billed_month", "ib1_assignment", "iban_for", "month_period", "with_bank_account"]
