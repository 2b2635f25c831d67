"""The Inventory sheet: per site and item, the period's opening, movements and closing stock."""
from datetime import timedelta

import pandas as pd

from reports.periods import Period

COLUMNS = ["Site", "Item code", "Item", "Opening", "Received", "Transferred in",
           "Transferred out", "Distributed", "Disposed", "Adjusted / counted", "Closing",
           "Expiring within 90 days", "Check"]
BELOW_ZERO = "Below zero: see Notes"
BELOW_ZERO_FOOTNOTE = ("Below zero: the ledger shows more handed out or moved away than was "
                       "recorded as received; a stock count or a late receipt resolves it.")
BELOW_ZERO_NOTE = (
    "A closing balance below zero (marked \"Below zero\" in the Check column) means more was "
    "recorded as handed out, transferred or disposed of at that site than was recorded as "
    "received or counted there - usually a delivery not yet entered, or handouts recorded against "
    "the wrong site. Nothing is lost: a stock count at the site (which sets the balance to what is "
    "on the shelf) or the late receipt, once recorded, resolves it.")
# Ledger kind -> (column, sign shown): outgoing movements are shown as positive quantities.
KIND_COLUMN = {
    "receipt": ("Received", 1), "transfer_in": ("Transferred in", 1),
    "transfer_out": ("Transferred out", -1), "distribution": ("Distributed", -1),
    "disposal": ("Disposed", -1), "adjustment": ("Adjusted / counted", 1),
    "count": ("Adjusted / counted", 1), "reversal": ("Adjusted / counted", 1),
}
EXPIRY_DAYS = 90


def inventory_frame(period: Period, items: pd.DataFrame, sites: pd.DataFrame,
                    movements: pd.DataFrame, closing_lots: pd.DataFrame,
                    lots: pd.DataFrame) -> pd.DataFrame:
    """Opening + received + in - out - distributed - disposed + adjusted = closing, per row.

    "Expiring within 90 days" is the closing stock in lots that expire on or before the period's
    last day plus 90 days (already expired stock still on the shelf included). ``closing_lots``
    is on hand per (site, item, lot) at the period's end; ``lots`` maps lot id to expiry date.
    """
    key = ["site_id", "item_id"]
    moves = movements.groupby(key + ["kind"], as_index=False)["quantity"].sum()
    moves["column"] = moves["kind"].map(lambda k: KIND_COLUMN.get(k, KIND_COLUMN["reversal"])[0])
    moves["shown"] = moves["quantity"] * moves["kind"].map(
        lambda k: KIND_COLUMN.get(k, KIND_COLUMN["reversal"])[1])
    table = moves.pivot_table(index=key, columns="column", values="shown", aggfunc="sum",
                              fill_value=0) if not moves.empty else pd.DataFrame()
    net = moves.groupby(key)["quantity"].sum() if not moves.empty else pd.Series(dtype="int64")

    closing = closing_lots.groupby(key)["quantity"].sum() if not closing_lots.empty else \
        pd.Series(dtype="int64")
    horizon = period.last_day + timedelta(days=EXPIRY_DAYS)
    expiring = pd.Series(dtype="int64")
    if not closing_lots.empty:
        dated = closing_lots.merge(lots, on="lot_id")
        soon = [d is not None and not pd.isna(d) and d <= horizon for d in dated["expires_on"]]
        dated = dated[pd.Series(soon, index=dated.index, dtype=bool) & (dated["quantity"] > 0)]
        expiring = dated.groupby(key)["quantity"].sum()

    index = table.index.union(closing.index) if len(table.index) else closing.index
    if not len(index):
        return pd.DataFrame(columns=COLUMNS)
    table = table.reindex(index, fill_value=0)
    frame = pd.DataFrame(index=index)
    frame["Closing"] = closing.reindex(index, fill_value=0)
    frame["Opening"] = frame["Closing"] - net.reindex(index, fill_value=0)
    for column in COLUMNS[4:10]:  # Received .. Adjusted / counted
        frame[column] = table[column] if column in table.columns else 0
    frame["Expiring within 90 days"] = expiring.reindex(index, fill_value=0)
    frame = frame.fillna(0).astype("int64").reset_index()
    frame = frame[(frame[COLUMNS[3:-1]] != 0).any(axis=1)].copy()
    frame["Check"] = [BELOW_ZERO if closing < 0 else None for closing in frame["Closing"]]

    order = items.reset_index(drop=True).reset_index().rename(columns={"index": "item_rank"})
    frame = frame.merge(sites[["site_id", "site_code"]], on="site_id").merge(
        order[["item_id", "item_rank", "code", "name"]], on="item_id")
    frame = frame.sort_values(["site_code", "item_rank"]).rename(
        columns={"site_code": "Site", "code": "Item code", "name": "Item"})
    return frame[COLUMNS].reset_index(drop=True)
