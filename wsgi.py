import gc

from inventory import create_app
app = create_app()
# What is built at start-up lives as long as the process: freezing it keeps it out of the cyclic
# garbage collector's full passes, which otherwise rescan it every few requests (about 100 ms
# each on the stock dashboard; benchmarks/stock_status.py).
gc.collect()
gc.freeze()
