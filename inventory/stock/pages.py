"""The stock pages' blueprints (receive and dispose, transfers, counts), registered together."""


def blueprints() -> tuple:
    from inventory.counts.views import bp as counts
    from inventory.stock.views import bp as stock
    from inventory.transfers.views import bp as transfers

    return (stock, transfers, counts)
