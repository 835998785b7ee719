"""Compliance: do-not-contact, CAN-SPAM's opt-out and postal address, and callers who say who
they are (UK PECR asks callers to identify themselves)."""

from __future__ import annotations

import re

from grader import text
from grader.outreach.body import Body, short_company
from grader.outreach.inputs import Message, OutreachContext
from grader.outreach.rubric import SPEC
from grader.results import Check
from grader.rubric import CheckSpec


def compliance_check(body: Body, message: Message, ctx: OutreachContext) -> Check | str:
    spec = SPEC["compliance"]
    if ctx.prospect.do_not_contact:
        return spec.award(
            0,
            "This prospect is on the do-not-contact list: no message may be sent at all.",
            "Drop do-not-contact prospects before writing and pick another prospect.",
        )
    if message.channel == "email":
        return _email(spec, body, ctx)
    if message.channel == "call":
        return _call(spec, body, ctx)
    return "a LinkedIn note needs no opt-out line or address, so there is nothing to check"


def _email(spec: CheckSpec, body: Body, ctx: OutreachContext) -> Check:
    ev = [body.span(s) for s in body.footer]
    if body.opt_out and body.address:
        return spec.award(1, "Has an opt-out line and the sender's postal address.", evidence=ev)
    if body.opt_out:
        where = f" ({ctx.sender.postal_address})" if ctx.sender.postal_address else ""
        return spec.award(
            0.5,
            "Has an opt-out line but no postal address, which CAN-SPAM requires.",
            f"Add the sender's postal address{where} under the signature.",
            ev,
        )
    if body.address:
        return spec.award(
            0.5,
            "Has the postal address but no way to opt out, which CAN-SPAM requires.",
            "Add one line such as “Not relevant? Reply ‘no’ and I won’t write again.”",
            ev,
        )
    return spec.award(
        0,
        "No opt-out line and no postal address: commercial email needs both (CAN-SPAM).",
        "Add an opt-out line (“Reply ‘no’ and I won’t write again.”) and your postal address.",
    )


_INTRO_RE = re.compile(r"\b(?:this is|my name is|it['’]s|i['’]m)\s+\w+", re.IGNORECASE)
_FROM_RE = re.compile(r"\b(?:from|at|with) [A-Z]")


def _call(spec: CheckSpec, body: Body, ctx: OutreachContext) -> Check:
    s = ctx.sender
    name = text.find_phrase(body.text, s.name.split()[0]) if s.name else None
    company = text.find_phrase(body.text, short_company(s.company)) if s.company else None
    says_name = name is not None or (not s.name and bool(_INTRO_RE.search(body.text)))
    says_company = company is not None or (not s.company and bool(_FROM_RE.search(body.text)))
    ev = [body.span(x) for x in (name, company) if x]
    if says_name and says_company:
        return spec.award(1, "Says who is calling and from which company.", evidence=ev)
    if says_name or says_company:
        missing = "your company" if says_name else "your name"
        return spec.award(
            0.5, f"The opener never gives {missing}.", f"Say {missing} in the first sentence.", ev
        )
    return spec.award(
        0,
        "The caller never says who they are or where they are calling from.",
        "Open with “Hi <their name>, this is <your name> from <your company>”.",
    )
