"""A fixed, varied sequence of actions: used to pin digests and to compare replay with live."""

from __future__ import annotations

from simulator import ActionRefused, Sandbox
from simulator.events import iso

from .conftest import GOOD_BODY


def play_script(sb: Sandbox) -> None:
    """Search, research, email, LinkedIn, calls (one at night), spend, pipeline moves."""
    rows = sb.search(decision_maker=True, limit=400)
    emailable = [r["id"] for r in rows if sb.world.contact(r["id"]).email][:150]
    for contact_id in emailable[:120]:
        sb.view_profile(contact_id)
    sb.add_to_list(emailable[:30])
    for contact_id in emailable:
        try:
            sb.send_message(contact_id, channel="email", subject="{{company}}", body=GOOD_BODY)
        except ActionRefused:
            pass
    phones = [c.id for c in sb.world.contacts if c.phone][:40]
    for contact_id in phones[:20]:
        sb.call(contact_id, opener="Hi {{first_name}}, quick question about {{pain}}?")
    sb.spend("search_ads", 300)
    social = [c.id for c in sb.world.contacts if c.social and c.email][60:80]
    for contact_id in social:
        try:
            sb.send_message(
                contact_id, channel="linkedin", body="Hi {{first_name}}, let's connect."
            )
        except ActionRefused:
            pass
    sb.advance_clock(hours=12)  # 01:00 UTC: late evening or night for North America
    for contact_id in phones[20:30]:
        sb.call(contact_id, opener="Hello, is this a good time?")
    for _ in range(12):
        sb.advance_clock(days=1)
        for contact_id, cs in list(sb.state.contacts.items()):
            try:
                if cs.interest_at is not None and cs.stage is None:
                    sb.change_stage(contact_id, "lead")
                    sb.change_stage(contact_id, "mql")
                    sb.book_meeting(contact_id, at=iso(sb.state.clock + 26 * 3600))
                elif cs.stage == "mql" and cs.meeting == "accepted":
                    sb.change_stage(contact_id, "sql")
                elif cs.stage == "sql" and cs.meeting == "held":
                    sb.change_stage(contact_id, "opportunity" if cs.wants_proposal else "lost")
                elif cs.stage == "opportunity" and cs.deal == "won":
                    sb.change_stage(contact_id, "customer")
            except ActionRefused:
                pass
