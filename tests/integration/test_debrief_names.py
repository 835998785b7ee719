"""The debrief names people (issue #15, item 4): every prospect the learner wrote to
appears by name, and no contact id (p000123) is left in what the learner reads."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from leadworks.accounts.models import User
from tests.integration.test_sandbox_pages import GOOD_BODY, _play, _prospects

CONTACT_ID = re.compile(r"\bp\d{6}\b")


def test_the_debrief_shows_names_and_no_contact_ids(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner)
    sandbox = played.sandbox()
    rows = _prospects(played, decision_maker="yes", has_email="yes", per_page=25)
    ids = [r["id"] for r in rows if not sandbox.opted_out(sandbox.world.contact(r["id"]))][:6]
    for cid in ids:
        message = {"contact_id": cid, "channel": "email", "subject": "Gaps", "body": GOOD_BODY}
        assert played.post("/compose/send", message, stale=False).status_code == 303
    played.post("/clock", {"mode": "end"})
    handed = played.post(
        "/hand-in",
        {"contact_id": ids[0], "channel": "email", "subject": "Gaps", "body": GOOD_BODY},
        stale=False,
    )
    assert handed.status_code == 303
    page = played.client.get(played.base + "/debrief")
    assert page.status_code == 200
    shown = re.findall(rf'href="{played.base}/prospects/(p\d+)">([^<]+)</a>', page.text)
    assert len({cid for cid, _ in shown} & set(ids)) >= 3, shown  # the people written to
    for cid, text in shown:  # each linked by name
        assert text == sandbox.world.contact(cid).name, (cid, text)
    visible = re.sub(r"<[^>]+>", " ", page.text)
    assert not CONTACT_ID.search(visible), re.findall(r".{40}\bp\d{6}\b.{20}", visible)
