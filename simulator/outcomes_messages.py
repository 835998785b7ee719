"""What a written message causes: delivery or a bounce, an open, a reply, an opt-out.

Email: a bounce for an invalid address, else delivery, then (by the odds of
``response.email_odds``, the inbox share times the sender's reputation, reputation.py) the
spam folder, an open, a reply, an unsubscribe or a complaint; each email rule of the
contact's jurisdiction it breaks (law.py: CAN-SPAM, CASL, PECR, the Spam Act) is a
violation that angers the prospect. LinkedIn: a first message is
a connection request, accepted by the prospect's odds, and only then can it be answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from . import events as ev
from .events import Event
from .law import email_breaches
from .market import Company, Contact
from .outcomes_shared import OutcomeTools
from .replies import reply_kind, reply_text
from .reputation import reputation
from .response import (
    Odds,
    email_odds,
    late_reply_odds,
    linkedin_accept_odds,
    linkedin_quality,
    linkedin_reply_odds,
    message_quality,
)
from .sandbox_base import DAY, HOUR
from .seeds import Stream
from .signals import Signals
from .state import ContactState


@dataclass(slots=True)
class _Sent:
    """A message just sent and everything its outcomes are drawn from.

    ``u`` holds the event's ten uniform draws, taken in one go so that each outcome keeps
    its own draw whatever the others do: 0 inbox or acceptance, 1 reply, 2 open, 3 open
    time, 4-5 reply kind, 6 reply time, 7 unsubscribe, 8 complaint, 9 bounce time.
    """

    event: Event
    contact: Contact
    company: Company
    cs: ContactState
    signals: Signals
    step: int
    gap: float | None
    u: list[float]
    rng: Stream
    now: int

    def about(self, **more: Any) -> dict[str, Any]:
        """The data of an outcome about this contact, caused by this event."""
        return {"contact_id": self.contact.id, **more, "cause": self.event.seq}


def _may_reply(cs: ContactState) -> bool:
    """One reply per contact, and none from someone on the way out."""
    return not (cs.replied or cs.reply_pending or cs.optout_pending or cs.unsubscribed)


class MessageOutcomes(OutcomeTools):
    """The applier of ``message_sent`` and the draws it makes."""

    def _apply_message(self, event: Event) -> None:
        data = event.data
        contact = self._contact(data)
        cs = self._cs(contact.id)
        channel = data["channel"]
        signals = Signals.from_stored(data["signals"])
        step, gap = self._touch(cs, channel)
        self.state.counts[f"sent_{channel}"] += 1
        rng = self._rng(event.seq)
        sent = _Sent(
            event,
            contact,
            self._company(contact),
            cs,
            signals,
            step,
            gap,
            rng.many(10),
            rng,
            self.state.clock,
        )
        if channel == "email":
            self._email_law(event, contact, sent.company, signals)
            self._email_outcomes(sent)
        else:
            self._linkedin_outcomes(sent)

    def _email_law(
        self, event: Event, contact: Contact, company: Company, signals: Signals
    ) -> None:
        """Record every rule of the contact's jurisdiction this email breaks (law.py)."""
        if not signals.has_opt_out:
            self.state.counts["sent_without_opt_out"] += 1  # the sender's reputation reads it
        today = datetime.fromtimestamp(self.state.clock, UTC).date()
        for breach in email_breaches(
            company,
            contact,
            has_opt_out=signals.has_opt_out,
            has_postal_address=signals.has_postal_address,
            body=str(event.data.get("body", "")),
            today=today,
        ):
            angers = breach.kind == "email_without_consent"  # form slips anger nobody
            self._violation(event, breach.kind, contact, breach.detail, breach.rule, angers=angers)

    def _email_outcomes(self, sent: _Sent) -> None:
        seq, u, cs = sent.event.seq, sent.u, sent.cs
        stale, _ = self.record_flaws(sent.contact)
        if not sent.contact.truth.email_valid or stale:  # a bought record's old address too
            self._schedule(sent.now + 60 + int(u[9] * 240), seq, ev.BOUNCED, sent.about())
            return
        self._schedule(sent.now + 60, seq, ev.DELIVERED, sent.about())
        sent_reputation = reputation(self.state.counts, self.params)
        odds = self._email_odds(sent)
        inbox = u[0] < odds.inbox * sent_reputation
        may_reply = _may_reply(cs)
        replied = inbox and may_reply and u[1] < odds.reply
        opened = inbox and (replied or u[2] < odds.open)
        p_late = late_reply_odds(odds, cs.touches, self.params)
        self._explain(
            sent.event, cs, "email", sent.step, odds.reply, odds.factors, replied, inbox, p_late
        )
        if sent_reputation < 1.0:  # the debrief says what the sender's reputation cost
            cs.explanations[-1]["reputation"] = sent_reputation
        open_at = sent.now + 300 + int(u[3] * u[3] * 36 * HOUR)
        if opened and not cs.opened:
            self._schedule(open_at, seq, ev.OPENED, sent.about())
        cs.late_reply_cause = None  # a newer email takes over the thread's "answer later"
        if replied:
            self._schedule_reply(sent, "email", open_at)
        elif inbox and may_reply:  # unsubscribing needs no tracked open
            if u[7] < odds.unsubscribe:
                cs.optout_pending = True
                self._schedule(open_at + 120, seq, ev.UNSUBSCRIBED, sent.about(channel="email"))
            elif u[8] < odds.complaint:
                cs.optout_pending = True
                self._schedule(open_at + 60, seq, ev.COMPLAINED, sent.about(channel="email"))
            else:
                self._maybe_late_reply(sent, p_late)

    def _maybe_late_reply(self, sent: _Sent, p_late: float) -> None:
        """Draw (from the event's own "late" stream) an answer days later; it is void if
        another email, a reply or an opt-out comes first (``SandboxBase._void``)."""
        rng = self._rng(sent.event.seq, "late")
        u = rng.many(5)
        if not u[0] < p_late:
            return
        p = self.params
        delay = (p.late_reply_min_days + u[1] * p.late_reply_spread_days) * DAY
        late = _Sent(
            sent.event,
            sent.contact,
            sent.company,
            sent.cs,
            sent.signals,
            sent.step,
            sent.gap,
            [0.0, 0.0, 0.0, 0.0, u[2], u[3], 0.0, 0.0, 0.0, 0.0],
            rng,
            sent.now,
        )
        sent.cs.late_reply_cause = sent.event.seq
        self._schedule_reply(late, "email", sent.now + int(delay), late=True)

    def _email_odds(self, sent: _Sent) -> Odds:
        hour, _, weekday = self.local_time(sent.contact)
        own = message_quality(sent.signals, self.params)
        return email_odds(
            contact=sent.contact,
            company=sent.company,
            signals=sent.signals,
            quality=_thread_quality(sent.cs, "email", sent.step, own),
            has_subject=bool(sent.event.data.get("subject")),
            step=sent.step,
            gap_days=sent.gap,
            touch_number=sent.cs.touches,
            hour=hour,
            weekday=weekday,
            industry_factor=self._pack.reply_factor,
            params=self.params,
            grievances=sent.cs.grievances,
            wrong_role=self.record_flaws(sent.contact)[1],
        )

    def _linkedin_outcomes(self, sent: _Sent) -> None:
        seq, u, cs = sent.event.seq, sent.u, sent.cs
        reply_from = sent.now
        if cs.connection is None:  # the first message is a connection request
            self.state.counts["linkedin_requests"] += 1
            cs.connection = "pending"
            if not u[0] < linkedin_accept_odds(sent.contact, self.params):
                self._explain(
                    sent.event, cs, "linkedin", sent.step, 0.0, {"accepted": 0.0}, False, True
                )
                return
            reply_from = sent.now + 2 * HOUR + int(u[3] * u[3] * 4 * DAY)
            self._schedule(reply_from, seq, ev.CONNECTION_ACCEPTED, sent.about())
            sent.step = 0
        own = linkedin_quality(sent.signals, self.params)
        odds = linkedin_reply_odds(
            contact=sent.contact,
            company=sent.company,
            quality=_thread_quality(cs, "linkedin", sent.step, own),
            step=sent.step,
            gap_days=sent.gap,
            touch_number=cs.touches,
            params=self.params,
        )
        may_reply = _may_reply(cs)
        replied = may_reply and u[1] < odds.reply
        self._explain(
            sent.event, cs, "linkedin", sent.step, odds.reply, odds.factors, replied, True
        )
        if replied:
            self._schedule_reply(sent, "linkedin", reply_from)
        elif may_reply and u[7] < odds.unsubscribe:
            cs.optout_pending = True
            self._schedule(reply_from + HOUR, seq, ev.UNSUBSCRIBED, sent.about(channel="linkedin"))

    def _schedule_reply(self, sent: _Sent, channel: str, after: int, *, late: bool = False) -> None:
        """Draw the reply's kind (from the hidden truth), its time and its text."""
        contact, u = sent.contact, sent.u
        kind = reply_kind(contact.truth, u[4], u[5])
        at = after + 600 + int(u[6] * u[6] * 48 * HOUR)
        text, ref = reply_text(
            kind,
            contact=contact,
            company=sent.company,
            referral=self._referral_for(contact),
            sender_name=self.exercise.client.sender_name,
            at=at,
            rng=sent.rng,
            noun=self._pack.segments[sent.company.segment].noun,
        )
        data = sent.about(channel=channel, kind=kind, text=text, referral_contact_id=ref)
        if late:
            data["late"] = True  # may still be overtaken (void), so nothing waits on it
        else:
            sent.cs.reply_pending = True
        self._schedule(at, sent.event.seq, ev.REPLIED, data)


def _thread_quality(cs: ContactState, channel: str, step: int, own: float) -> float:
    """A follow-up brings the first message back up: the better of the two counts."""
    if step == 0 or channel not in cs.thread_quality:
        cs.thread_quality[channel] = own
        return own
    return max(own, cs.thread_quality[channel])
