"""Same seed, same world and same replies: on every run, in every process, pinned."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import simulator.generate as generate
from simulator import build_world, derive_seed, exercise_spec, generate_market, open_exercise
from simulator.canonical import digest
from simulator.events import to_jsonl

from .conftest import fixed_analyser
from .scripts import play_script

ROOT = Path(__file__).resolve().parents[2]

# Pinned fingerprints. They change only when the data lists, the draw order or the model
# change on purpose: then bump WORLD_VERSION / MODEL_VERSION and update these values.
# Re-pinned for issue 13 (WORLD_VERSION 3: the law fields; MODEL_VERSION 3: the law table,
# sender reputation and angry prospects), and again on purpose for MODEL_VERSION 5 (the log
# only: aggrieved buyers on live calls, currency on calls, CASL's contact method read
# strictly; the world is unchanged). Re-pinned on purpose for money in the country's currency
# (currency.py): no draw changed, so WORLD_VERSION stays 3 and the log is unchanged; the world
# digest moves because revenue bands are stored as currency-neutral keys ("1M-5M"), banded in
# the local currency and shown with a label ("£1M-£5M"), and funding rounds read "£12M". And
# for MODEL_VERSION 6 (the log only: its first event carries the version; personas' voices
# on live calls, which this script does not make).
PINNED_SEED = 7473919993876281453
PINNED_WORLD = "a59facdf11b3e972a81320d9ae24da97b980354705f0cfc65aeb40620ee226f1"
PINNED_LOG = "4a95bb59326a0dd995ce968b3e33d3e34e5722ff6a53a5ab403e147ab7781457"


def _world_digest(exercise_id: str, seed: int) -> str:
    spec = exercise_spec(exercise_id)  # generated here, never a cached world
    return generate_market(spec.market, seed, spec.icp).digest()


def test_derive_seed_is_pinned_and_order_sensitive() -> None:
    assert derive_seed("learner-42", "capstone-local-gyms", 1) == PINNED_SEED
    assert derive_seed("learner-42", "capstone-local-gyms", 2) != PINNED_SEED
    assert derive_seed("capstone-local-gyms", "learner-42", 1) != PINNED_SEED


def test_world_digest_is_pinned() -> None:
    assert _world_digest("capstone-local-gyms", 7) == PINNED_WORLD


def test_same_seed_same_bytes_different_seed_different_world() -> None:
    spec = exercise_spec("prospect-list-saas")
    # generated twice (build_world would hand the cached world back the second time)
    first, again = generate_market(spec.market, 3, spec.icp), build_world(spec, 3)
    assert first.to_json(truth=True) == again.to_json(truth=True)
    assert build_world(spec, 4).digest() != first.digest()


def test_world_is_identical_in_a_fresh_process_with_another_hash_seed() -> None:
    code = (
        "from simulator import build_world, exercise_spec;"
        "print(build_world(exercise_spec('capstone-local-gyms'), 7).digest())"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == _world_digest("capstone-local-gyms", 7)


def test_replayed_log_digest_is_pinned() -> None:
    sb = open_exercise("capstone-local-gyms", seed=7, analyser=fixed_analyser)
    play_script(sb)
    log = to_jsonl(sb.events)
    assert digest([json.loads(line) for line in log.splitlines()]) == PINNED_LOG
    assert any(e.type == "replied" for e in sb.events)
    assert any(e.type == "violation" for e in sb.events)


def test_a_world_version_bump_does_not_redraw_the_law_fields(monkeypatch) -> None:
    """The law fields' stream has its own STANDING_VERSION: a bump for other data keeps them."""
    spec = exercise_spec("cold-email-coaching")

    def standing(world) -> list[tuple]:
        return [
            (c.line_type, c.registry, c.consent, c.consent_date, world.company_of(c).legal_form)
            for c in world.contacts
        ]

    today = standing(generate_market(spec.market, 5, spec.icp))
    monkeypatch.setattr(generate, "WORLD_VERSION", generate.WORLD_VERSION + 1)
    bumped = generate_market(spec.market, 5, spec.icp)
    assert bumped.version == generate.WORLD_VERSION
    assert standing(bumped) == today
