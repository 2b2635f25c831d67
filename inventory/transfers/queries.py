"""Read-only transfer queries: what is in transit, and transfer listings."""
from sqlalchemy import func, select

from inventory.extensions import db
from inventory.transfers.models import Transfer, TransferLine


def in_transit_by_site_item(site_ids=None) -> dict[tuple[int, int], int]:
    """Units in transit TO each site, per ``(site_id, item_id)``: shipped − received − written
    off over the lines of transfers that are not cancelled (a received or closed transfer has
    none left). Only pairs with something in transit appear; ``site_ids`` limits the
    destination sites (None: every site)."""
    remaining = func.sum(TransferLine.quantity - TransferLine.received - TransferLine.written_off)
    stmt = (
        select(Transfer.to_site_id, TransferLine.item_id, remaining)
        .join(Transfer, Transfer.id == TransferLine.transfer_id)
        .where(Transfer.status == "in_transit")
        .group_by(Transfer.to_site_id, TransferLine.item_id)
    )
    if site_ids is not None:
        stmt = stmt.where(Transfer.to_site_id.in_(list(site_ids) or [-1]))
    return {(site, item): int(total) for site, item, total in db.session.execute(stmt)
            if total}
