"""Scripted policies: play a whole campaign through the sandbox's public actions.

Used by ``leadworks simulate`` and ``calibrate``, and to pre-play the colleague's log of the
pipeline-report exercise. The runner only does what a learner could do: it sees the same
events, respects the same refusals, and manages the pipeline with a simple, documented rule
set (see ``_manage``), so calibrated stage conversions describe a sensible human.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from course.exercise_specs import PaidSpend, PolicySpec, PolicyStep
from course.vocabulary import PAID_CHANNELS

from . import events as ev
from .events import ActionRefused, Event, iso
from .icp import fits_icp, matches_public
from .law import consent_gap, registry_rule
from .market import Contact
from .replies import POSITIVE_KINDS
from .sandbox import DAY, HOUR, Sandbox
from .timezones import utc_offset_minutes


@dataclass(slots=True)
class _Track:
    contact: Contact
    step: int = 0
    due: int = 0
    done: bool = False


@dataclass(slots=True)
class _Run:
    sandbox: Sandbox
    policy: PolicySpec
    tracks: list[_Track]
    by_zone: dict[str, list[_Track]] = field(default_factory=dict)
    intent: dict[str, str] = field(default_factory=dict)
    sent_per_day: dict[int, int] = field(default_factory=dict)
    seen: int = 0


def _channel_ok(sandbox: Sandbox, contact: Contact, step: PolicyStep) -> bool:
    """Reachable on the step's channel, screened as a careful SDR's CRM screens a list: no
    email without the consent the contact's law asks, no call to a number on a national
    register (TPS, CTPS, the DNC registry, the DNCL) or on the do-not-call list. The hour
    of a call is the policy's (``send_hour``): a night run still breaks the calling hours."""
    company = sandbox.world.company_of(contact)
    if step.channel == "email":
        today = datetime.fromtimestamp(sandbox.state.clock, UTC).date()
        return contact.email is not None and consent_gap(company, contact, today) is None
    if step.channel == "linkedin":
        return contact.social is not None
    if step.channel == "call":
        return (
            contact.phone is not None
            and registry_rule(contact) is None
            and not sandbox.do_not_call(contact)
        )
    return contact.phone is not None


def select_targets(sandbox: Sandbox, policy: PolicySpec) -> list[Contact]:
    """Contacts the policy reaches: the target filter, reachable on the first step's channel,
    not on the suppression list (which a CRM shows), in world order."""
    first = policy.steps[0]
    out: list[Contact] = []
    for contact in sandbox.world.contacts:
        company = sandbox.world.company_of(contact)
        if not matches_public(contact, company, policy.target):
            continue
        if sandbox.opted_out(contact) or not _channel_ok(sandbox, contact, first):
            continue
        out.append(contact)
        if len(out) >= policy.target.max_contacts:
            break
    return out


def check_policy(sandbox: Sandbox, policy: PolicySpec) -> None:
    """Refuse, before anything runs, a step or paid channel the exercise does not allow."""
    allowed = sandbox.exercise.channels
    for i, step in enumerate(policy.steps):
        if step.channel not in allowed:
            raise ActionRefused(
                f"the exercise {sandbox.exercise.id!r} has no {step.channel!r} channel"
                f" (channels it allows: {', '.join(allowed) or 'none'})",
                f"steps[{i}].channel",
            )
    for i, paid in enumerate(policy.paid):
        if paid.channel not in allowed:
            paid_allowed = [c for c in allowed if c in PAID_CHANNELS]
            raise ActionRefused(
                f"the exercise {sandbox.exercise.id!r} has no {paid.channel!r} channel"
                f" (paid channels it allows: {', '.join(paid_allowed) or 'none'})",
                f"paid[{i}].channel",
            )


def run_policy(sandbox: Sandbox, policy: PolicySpec) -> None:
    """Play ``policy`` from the sandbox's current time to the end of the exercise.

    Raises ``ActionRefused`` for a step or paid channel the exercise does not allow.
    """
    check_policy(sandbox, policy)
    targets = select_targets(sandbox, policy)
    if policy.research:
        for contact in targets:
            sandbox.view_profile(contact.id)
    run = _Run(sandbox, policy, [_Track(c, due=sandbox.state.clock) for c in targets])
    for track in run.tracks:
        zone = sandbox.world.company_of(track.contact).timezone
        run.by_zone.setdefault(zone, []).append(track)
    run.seen = sandbox.event_count
    start = sandbox.state.start
    spends: dict[int, list[PaidSpend]] = defaultdict(list)
    for paid in policy.paid:
        spends[paid.day].append(paid)
    spent_days: set[int] = set()
    while sandbox.state.clock < sandbox.state.end:
        now = sandbox.state.clock
        day = (now - start) // DAY
        if day not in spent_days:
            spent_days.add(day)
            for paid in spends.get(day, []):
                amount = min(paid.amount, sandbox.state.remaining_budget)
                if amount > 0:
                    sandbox.spend(paid.channel, amount)
        _send_due(run, day)
        if policy.manage_pipeline:
            _manage(run)
        sandbox.advance_clock(until=iso(_next_wake(run, spends)))
    if policy.manage_pipeline:
        _manage(run)


def _next_wake(run: _Run, spends: dict[int, list[PaidSpend]]) -> int:
    """The next hour boundary at which anything can happen: an outcome has arrived to react
    to, a send slot opens in some prospect's time zone, or a paid spend is due. Idle hours
    (nights, weekends, a finished sequence) are skipped in one step."""
    sandbox = run.sandbox
    now, end, start = sandbox.state.clock, sandbox.state.end, sandbox.state.start
    hour = now - now % HOUR
    wake = end
    upcoming = sandbox.next_outcome_at()
    if upcoming is not None:
        wake = min(
            wake, max(hour + HOUR, upcoming - upcoming % HOUR + (HOUR if upcoming % HOUR else 0))
        )
    later_spends = [d for d in spends if start + d * DAY > now]
    if later_spends:
        wake = min(wake, start + min(later_spends) * DAY)
    if any(not t.done for t in run.tracks):
        for k in range(1, 8 * 24):
            at = hour + k * HOUR
            if at >= wake:
                break
            if _slot_open(run, at):
                wake = at
                break
    return min(wake, end)


def _slot_open(run: _Run, at: int) -> bool:
    policy = run.policy
    for zone in run.by_zone:
        local = at + utc_offset_minutes(zone, at) * 60
        if (local // HOUR) % 24 == policy.send_hour and not (
            policy.weekdays_only and (local // DAY + 3) % 7 >= 5
        ):
            return True
    return False


def _send_due(run: _Run, day: int) -> None:
    sandbox, policy = run.sandbox, run.policy
    now = sandbox.state.clock
    sent_today = run.sent_per_day.get(day, 0)
    due_first: list[_Track] = []
    due_new: list[_Track] = []
    for zone, tracks in run.by_zone.items():
        local = now + utc_offset_minutes(zone, now) * 60
        hour, weekday = (local // HOUR) % 24, (local // DAY + 3) % 7
        if hour != policy.send_hour or (policy.weekdays_only and weekday >= 5):
            continue
        for track in tracks:
            if track.done or track.due > now:
                continue
            (due_first if track.step else due_new).append(track)
    for track in [*due_first, *due_new]:  # follow-ups before new first touches
        if sent_today >= policy.daily_volume:
            break
        if _touch(run, track):
            sent_today += 1
    run.sent_per_day[day] = sent_today


def _stopped(run: _Run, track: _Track) -> bool:
    sandbox = run.sandbox
    cs = sandbox.state.contacts.get(track.contact.id)
    if cs is None:
        return False
    if sandbox.opted_out(track.contact) or cs.bounced:
        return True
    return run.policy.stop_on_reply and (cs.replied or cs.conversation or cs.stage is not None)


def _touch(run: _Run, track: _Track) -> bool:
    """Send the track's next step; True when something was sent."""
    sandbox, policy = run.sandbox, run.policy
    if _stopped(run, track) or track.step >= len(policy.steps):
        track.done = True
        return False
    step = policy.steps[track.step]
    contact = track.contact
    sent = False
    if _channel_ok(sandbox, contact, step) and step.channel in sandbox.exercise.channels:
        try:
            if step.channel == "call":
                sandbox.call(contact.id, opener=step.body)
            else:
                sandbox.send_message(
                    contact.id, channel=step.channel, body=step.body, subject=step.subject
                )
            sent = True
        except ActionRefused:
            sent = False
    track.step += 1
    if track.step >= len(policy.steps):
        track.done = True
    else:
        track.due = sandbox.state.clock + policy.steps[track.step].delay_days * DAY - 2 * HOUR
    return sent


def _next_meeting_time(sandbox: Sandbox, contact: Contact) -> int | None:
    """10:00 local on the next weekday, or None if that falls after the end."""
    zone = sandbox.world.company_of(contact).timezone
    now = sandbox.state.clock
    offset = utc_offset_minutes(zone, now) * 60
    local = now + offset
    day_start = local - local % DAY
    for extra in range(1, 5):
        candidate_local = day_start + extra * DAY + 10 * HOUR
        if (candidate_local // DAY + 3) % 7 < 5:
            at = candidate_local - offset
            return at if at <= sandbox.state.end else None
    return None


def _qualifies(run: _Run, contact: Contact) -> bool:
    """MQL rule: in the target market (the ICP, with facts when researched)."""
    sandbox = run.sandbox
    icp = sandbox.exercise.icp
    company = sandbox.world.company_of(contact)
    if run.policy.research:
        return fits_icp(contact, company, icp)
    return matches_public(contact, company, icp)


def _manage(run: _Run) -> None:
    """React to new world events the way a tidy SDR would.

    Positive reply or conversation -> Lead. Lead with buying intent ("interested" or
    "curious", or an inbound lead asking for a call) inside the ICP -> MQL, and a meeting
    invite at once (speed to lead). Meeting accepted -> SQL. Meeting held with a proposal request ->
    Opportunity; held without one, or a no-show -> Lost. Deal won -> Customer; lost -> Lost.
    """
    sandbox = run.sandbox
    new: list[Event] = sandbox.events_since(run.seen)
    run.seen = sandbox.event_count
    for event in new:
        if event.actor != ev.WORLD or "contact_id" not in event.data:
            continue
        contact = sandbox.world.contact(event.data["contact_id"])
        if contact is None:
            continue
        cs = sandbox.state.contacts.get(contact.id)
        stage = cs.stage if cs else None
        try:
            if event.type == ev.REPLIED or (
                event.type == ev.CALL_RESULT and event.data.get("conversation")
            ):
                kind = event.data.get("kind")
                if kind in POSITIVE_KINDS and stage is None:
                    sandbox.change_stage(contact.id, "lead")
                    run.intent[contact.id] = str(kind)
                    _maybe_mql(run, contact)
            elif event.type == ev.INBOUND_LEAD:
                run.intent[contact.id] = "interested" if event.data["wants_call"] else "form"
                _maybe_mql(run, contact)
            elif event.type == ev.MEETING_ACCEPTED and stage == "mql":
                sandbox.change_stage(contact.id, "sql")
            elif event.type == ev.MEETING_HELD and stage == "sql":
                wants = event.data["wants_proposal"]
                sandbox.change_stage(contact.id, "opportunity" if wants else "lost")
            elif event.type == ev.MEETING_NO_SHOW and stage in ("sql", "mql"):
                sandbox.change_stage(contact.id, "lost")
            elif event.type == ev.DEAL_WON and stage == "opportunity":
                sandbox.change_stage(contact.id, "customer")
            elif event.type == ev.DEAL_LOST and stage == "opportunity":
                sandbox.change_stage(contact.id, "lost")
        except ActionRefused:
            continue
    run.seen = sandbox.event_count


BUYING_INTENT = frozenset({"interested", "curious"})


def _maybe_mql(run: _Run, contact: Contact) -> None:
    sandbox = run.sandbox
    cs = sandbox.state.contacts.get(contact.id)
    if cs is None or cs.stage != "lead":
        return
    if run.intent.get(contact.id) not in BUYING_INTENT or not _qualifies(run, contact):
        return
    sandbox.change_stage(contact.id, "mql")
    at = _next_meeting_time(sandbox, contact)
    if at is not None and at >= sandbox.state.clock + HOUR:
        sandbox.book_meeting(contact.id, at=iso(at))
