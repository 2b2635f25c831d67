"""Units in transit to each site (transfers shipped, not yet received or written off)."""


def in_transit_by_site_item(site_ids: set[int] | None = None) -> dict[tuple[int, int], int]:
    """``(site_id, item_id)`` → units in transit to the site."""
    return {}
