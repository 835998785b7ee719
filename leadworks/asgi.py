"""The ASGI entry point for servers: `uvicorn leadworks.asgi:app --workers 4`."""

import gc

from leadworks.app import create_app

app = create_app()
# Everything imported and built so far lives as long as the worker: move it out of the
# garbage collector's sight so each collection scans only what requests allocate
# (it cut the counselor overview of a 1,000-learner cohort by about a third).
gc.freeze()
