"""The simulator world: seeded prospect markets, a calibrated response model and an
event-sourced sandbox. Pure Python (no web or database imports), usable from a notebook::

    from simulator import open_exercise
    sb = open_exercise("capstone-local-gyms", seed=7)
    rows = sb.search(decision_maker=True, size_band=["11-50"])
    sb.send_message(rows[0]["id"], channel="email", subject="Hi", body="Hi {{first_name}}, ...")
    sb.advance_clock(days=1)
    sb.submit({...})

``ACTIONS`` describes every learner action and its parameters (actions.py);
``sb.apply({"type": "send_message", ...})`` takes any of them as JSON.
"""

from .action_schema import ActionSpec, Param
from .actions import ACTIONS, WEB_ACTIONS
from .contexts import GradingInput, grading_input
from .events import ActionRefused, Event, ReplayError
from .exercises import build_world, exercise_spec, learner_seed, open_exercise, replay_log
from .generate import generate_market
from .market import Company, Contact, Truth, World
from .metrics import metrics, report_figures
from .sandbox import Sandbox
from .seeds import derive_seed

__all__ = [
    "ACTIONS",
    "WEB_ACTIONS",
    "ActionRefused",
    "ActionSpec",
    "Company",
    "Contact",
    "Event",
    "GradingInput",
    "Param",
    "ReplayError",
    "Sandbox",
    "Truth",
    "World",
    "build_world",
    "derive_seed",
    "exercise_spec",
    "generate_market",
    "grading_input",
    "learner_seed",
    "metrics",
    "open_exercise",
    "replay_log",
    "report_figures",
]
