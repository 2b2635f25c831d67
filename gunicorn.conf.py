"""gunicorn settings read from the working directory (``gunicorn wsgi:app`` picks this file up)."""
import gc


def post_worker_init(worker):
    """Freeze what the worker built at start-up (the app, its models, the catalogue of routes):
    it lives as long as the process, and the cyclic collector's full passes would otherwise rescan
    it every few requests (about 100 ms pauses on the stock dashboard; benchmarks/stock_status.py).
    """
    gc.collect()
    gc.freeze()
