"""The reorder formula, in one place (issue 12, DESIGN.md "Reorder"), as pure functions.

For a site and item, with look-back D = 90 days ending at the end of yesterday in the program's
timezone: consumed = units handed out in those days (distribution lines, voids netted);
stockout_days = days whose end-of-day on hand (all lots) was ≤ 0; AMC = consumed × 30.44 /
(D − stockout_days), or None when D − stockout_days < 7; months_of_stock = on_hand / AMC (None
when AMC is None or 0). Suggest when months_of_stock < min_months: ceil(max_months × AMC −
on_hand − in_transit) units, rounded up to whole packs. Status: ``stock_out`` when on hand ≤ 0,
``below_min`` when months_of_stock < min, ``over_max`` when > max, else ``ok``.

Arithmetic is exact (Decimal), so that a hand computation gives the same whole numbers.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

LOOKBACK_DAYS = 90
DAYS_PER_MONTH = Decimal("30.44")
MIN_STOCKED_DAYS = 7
DEFAULT_MIN_MONTHS = Decimal(1)
DEFAULT_MAX_MONTHS = Decimal(3)
STATUSES = ("stock_out", "below_min", "ok", "over_max")


def window_days(today: date) -> list[date]:
    """The D local days of the look-back, oldest first: the 90 days before ``today``."""
    return [today - timedelta(days=LOOKBACK_DAYS - i) for i in range(LOOKBACK_DAYS)]


def end_of_day_balances(on_hand_now: int, net_by_day: list[int], net_after: int) -> list[int]:
    """On hand (all lots) at the end of each window day, oldest first.

    ``net_by_day``: the ledger's net change on each window day; ``net_after``: the net change of
    everything dated after the window (today, and any later). Walks back from today's balance.
    """
    balances = [0] * len(net_by_day)
    running = on_hand_now - net_after
    for i in range(len(net_by_day) - 1, -1, -1):
        balances[i] = running
        running -= net_by_day[i]
    return balances


def stockout_days(end_of_day: list[int]) -> int:
    return sum(1 for balance in end_of_day if balance <= 0)


def amc(consumed: int, stockout: int, days: int = LOOKBACK_DAYS) -> Decimal | None:
    """Average monthly consumption, or None when fewer than 7 days had stock."""
    stocked = days - stockout
    if stocked < MIN_STOCKED_DAYS:
        return None
    return Decimal(consumed) * DAYS_PER_MONTH / stocked


def months_of_stock(on_hand: int, amc_value: Decimal | None) -> Decimal | None:
    if not amc_value:
        return None
    return Decimal(on_hand) / amc_value


def status(on_hand: int, months: Decimal | None, min_months: Decimal,
           max_months: Decimal) -> str:
    if on_hand <= 0:
        return "stock_out"
    if months is not None and months < min_months:
        return "below_min"
    if months is not None and months > max_months:
        return "over_max"
    return "ok"


@dataclass(frozen=True)
class Suggestion:
    units: int
    packs: int


def suggestion(on_hand: int, in_transit: int, amc_value: Decimal | None, months: Decimal | None,
               min_months: Decimal, max_months: Decimal, pack_size: int) -> Suggestion | None:
    """What to order, or None when months of stock is not below the minimum (or unknown) or
    nothing is missing once in-transit stock is counted."""
    if months is None or amc_value is None or months >= min_months:
        return None
    wanted = (max_months * amc_value - on_hand - in_transit).to_integral_value(ROUND_CEILING)
    if wanted <= 0:
        return None
    pack = max(pack_size, 1)
    packs = -(-int(wanted) // pack)
    return Suggestion(units=packs * pack, packs=packs)
