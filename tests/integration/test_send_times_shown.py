"""Every chosen send time shown in both zones (issue #15, item 2): the prospect's local time
and the learner's own (a ``<time class="your-time">`` holding the UTC instant, which the
browser shows in the learner's zone), on the composer's preview, the hours question, the
scheduled list, each sequence step, and each prospect's local time on the prospects list.

The sequence test holds the page to what the clock then does: the instants shown for a
draft "if started now" are the instants its first step goes out."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from leadworks.accounts.models import User
from leadworks.practice.models import SequencePlan
from leadworks.practice.send_time import contact_time, local_to_utc
from simulator.events import iso, parse_iso
from tests.integration.test_sandbox_pages import GOOD_BODY, _emailable, _play
from tests.integration.test_time_controls import _out_of_hours_callee, timed_sequence


def _your_times(html: str) -> list[str]:
    """The UTC instants the page hands the browser to show in the learner's own zone."""
    return re.findall(r'<time class="your-time" datetime="([^"]+)"', html)


def _zone_times(html: str) -> dict[str, int]:
    """zone -> the instant a sequence step shows for it ("... in America/Denver (UTC-7) ·
    your time: <time datetime=...>")."""
    pairs = re.findall(
        r'in ([A-Za-z_/]+) <span class="muted">\(UTC[^)]*\)</span> · your time: '
        r'<time class="your-time" datetime="([^"]+)"',
        html,
    )
    return {zone: parse_iso(at) for zone, at in pairs}


def test_the_composer_shows_a_chosen_send_time_in_their_zone_and_the_learners(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner)
    who = _emailable(played)
    sandbox = played.sandbox()
    contact = sandbox.world.contact(who)
    zone = sandbox.world.company_of(contact).timezone
    chosen = iso(sandbox.state.clock + 86_400)[:10] + "T09:15"
    instant = iso(local_to_utc(zone, chosen))
    page = played.client.get(f"{played.base}/compose?contact_id={who}&send_at={chosen}").text
    when_block = page.split('data-testid="send-when"', 1)[1].split("</p>", 1)[0]
    assert "09:15</strong>" in when_block and instant in _your_times(when_block)
    # the live preview (htmx) says the same as the learner types the time
    preview = played.post(
        "/compose/preview",
        {"contact_id": who, "channel": "email", "body": GOOD_BODY, "send_at": chosen},
        stale=False,
        headers={"HX-Request": "true"},
    )
    assert preview.status_code == 200 and instant in _your_times(preview.text)
    # scheduled: the list shows it in both zones, at the instant it will go out
    sent = played.post(
        "/compose/send",
        {"contact_id": who, "channel": "email", "body": GOOD_BODY, "send_at": chosen},
        stale=False,
    )
    assert sent.status_code == 303
    page = played.client.get(sent.headers["location"]).text  # the confirmation
    scheduled = page.split('data-testid="scheduled-list"', 1)[1].split("</ul>", 1)[0]
    assert contact.name in scheduled and "09:15</strong>" in scheduled
    assert _your_times(scheduled) == [instant]
    fresh = scheduled.split('data-testid="just-scheduled"', 1)[1].split("</li>", 1)[0]
    assert "Just scheduled" in fresh and _your_times(fresh) == [instant]
    later = played.client.get(f"{played.base}/compose").text
    assert 'data-testid="just-scheduled"' not in later  # marked only on the confirmation


def test_the_hours_question_shows_the_next_slot_in_both_zones(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "capstone-local-gyms")
    played.post("/clock", {"mode": "hours", "hours": "14"})
    who = _out_of_hours_callee(played)
    call = {"contact_id": who, "channel": "call", "body": "Hi, calling about {{company}}?"}
    asked = played.post("/compose/send", call, stale=False)
    assert asked.status_code == 400
    ask = asked.text.split('data-testid="hours-ask"', 1)[1].split("</div>", 1)[0]
    assert "Next allowed slot" in ask and len(_your_times(ask)) == 1
    slot = parse_iso(_your_times(ask)[0])
    assert slot > played.sandbox().state.clock


def test_each_prospect_row_shows_their_local_time(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "capstone-local-gyms")
    played.post("/clock", {"mode": "hours", "hours": "5"})
    sandbox = played.sandbox()
    page = played.client.get(f"{played.base}/prospects?per_page=25").text
    rows = page.split("<tbody", 1)[1].split("</tbody>", 1)[0].split("<tr")[1:]
    assert len(rows) >= 10
    zones = set()
    for row in rows:
        cid = re.search(r'name="contact_ids" value="([^"]+)"', row).group(1)
        contact = sandbox.world.contact(cid)
        local = contact_time(sandbox, contact)
        zones.add(local.abbreviation)
        assert f"{local.text[-5:]} their time" in row and local.abbreviation in row, cid
    assert len(zones) >= 2  # the gyms span time zones: one clock for all would be wrong


def test_each_sequence_step_shows_when_it_goes_out_in_both_zones(
    client: TestClient, session: Session, learner: User
) -> None:
    played = timed_sequence(
        client, session, learner,
        {"channel": "email", "delay_days": "2", "send_time": "14:00",
         "body": "Hi {{first_name}}, one more thought on member retention."},
    )  # fmt: skip
    page = played.client.get(played.base + "/sequences").text
    steps = [
        s.split('data-testid="plan-step"')[0] for s in page.split('data-testid="plan-step"')[1:]
    ]
    assert len(steps) == 2 and "If started now" in steps[0]
    first, second = (_zone_times(s) for s in steps)
    assert first and second and "09:30</strong>" in steps[0] and "14:00</strong>" in steps[1]
    assert min(second.values()) > max(first.values())

    plan = session.exec(select(SequencePlan).where(SequencePlan.run_id == played.run.id)).one()
    played.post("/sequences/start", {"plan_id": str(plan.id)})
    played.post("/clock", {"mode": "day"})
    sandbox = played.sandbox()
    went = [e for e in sandbox.events if e.type == "message_sent"]
    assert went
    for event in went:  # the clock sent each at the instant shown for its zone
        contact = sandbox.world.contact(event.data["contact_id"])
        zone = sandbox.world.company_of(contact).timezone
        if zone in first:
            assert parse_iso(event.at) == first[zone], (zone, event.at)
    assert any(sandbox.world.company_of(sandbox.world.contact(e.data["contact_id"])).timezone
               in first for e in went)  # fmt: skip
    # once running, the next step shows the instants the clock will use
    page = played.client.get(played.base + "/sequences").text
    later = page.split('data-testid="plan-step"')[2].split('data-testid="plan-step"')[0]
    assert "If started now" not in later and _zone_times(later) == second
