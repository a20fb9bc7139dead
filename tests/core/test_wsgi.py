"""The WSGI entry point gunicorn serves: every view loaded, then frozen out of the GC."""

import gc
import importlib


def test_the_loaded_application_is_kept_out_of_the_collector():
    gc.unfreeze()
    try:
        wsgi = importlib.reload(importlib.import_module("config.wsgi"))
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
