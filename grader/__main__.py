"""``python -m grader FILE``: see :mod:`grader.cli`."""

from grader.cli import main

raise SystemExit(main())
