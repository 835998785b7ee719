"""`python -m leadworks.cli`: the same command as `leadworks`."""

import sys

from leadworks.cli import app

sys.exit(app())
