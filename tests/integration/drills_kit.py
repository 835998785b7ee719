"""Drill hand-ins for the integration tests: a complete triage hand-in and the access test's
placeholders ({drill_id}, {drill_hand_in_id}: one graded hand-in of the learner's)."""

from __future__ import annotations

import uuid
from typing import Any

from leadworks.drills.service import drill_spec, hand_in
from tests.conftest import project_content

DRILL_ID = "compliance-triage-list"


def triage_payload(*, action: str | None = None) -> dict[str, Any]:
    """Every row answered (with ``action`` when given, else the lawful one) and a plan."""
    spec = drill_spec(project_content().catalog, DRILL_ID)
    rows = {
        item_id: {"action": action or key["action"], "reason": "not registered, consent checked"}
        for item_id, key in spec.key["rows"].items()
    }
    return {"rows": rows, "texts": {"plan": "c01 Tue 10:00\nc10 Tue 16:00"}}


def triage_form(world: Any = None) -> dict[str, str]:
    """The page form for the same hand-in (inputs named like the payload's paths)."""
    form = {
        f"rows.{i}.{f}": v for i, row in triage_payload()["rows"].items() for f, v in row.items()
    }
    return form | {"texts.plan": "c01 Tue 10:00", "idempotency_key": uuid.uuid4().hex}


def drills_placeholders(session: Any, *, learner: Any) -> dict[str, object]:
    spec = drill_spec(project_content().catalog, DRILL_ID)
    submission, _ = hand_in(
        session=session,
        user=learner,
        spec=spec,
        payload=triage_payload(),
        idempotency_key=uuid.uuid4().hex,
    )
    return {"drill_id": DRILL_ID, "drill_hand_in_id": submission.id}
