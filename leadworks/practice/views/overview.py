"""A run's overview (brief, next steps, activity) and the controls every run page offers:
moving the simulated clock and spending the budget on paid channels."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from leadworks.core.errors import UserError
from leadworks.core.inputs import Key, PathId
from leadworks.practice import read
from leadworks.practice.clock import advance_clock
from leadworks.practice.present import label, money, when
from leadworks.practice.sequences import sequences_of
from leadworks.practice.views.forms import redirect_back, redirect_refused
from leadworks.practice.views.run_post import RunForm, run_post
from leadworks.practice.views.workspace import PracticeDep, render_run_page, workspace_context

router = APIRouter()

NEXT_STEPS = {
    "prospect_list": [
        "Read the ideal customer profile below.",
        "Search prospects with the filters in the sidebar; open profiles to check the fit.",
        "Add the ones that fit to a lead list.",
        "Hand in the list when it holds the number the brief asks for.",
    ],
    "outreach": [
        "Search for prospects that match the profile and open their profiles.",
        "Write a message in the composer: the preview shows it as they will read it.",
        "Send it and advance the clock to see who answers.",
        "Hand in the message you are proudest of, naming its prospect.",
    ],
    "sequence": [
        "Build a lead list of prospects who fit.",
        "Design a sequence of steps in Sequences and start it on the list.",
        "Advance the clock: later steps go out on their day, repliers are skipped.",
        "Hand in the sequence with one prospect to render it for.",
    ],
    "qualification": [
        "Your inbound leads are waiting in the inbox and on the pipeline board.",
        "Hold a discovery call with each: pick the questions that uncover the criteria.",
        "Record BANT or CHAMP judgements and a decision for each lead.",
        "Hand in your qualifications.",
    ],
    "handoff": [
        "Find a practice owner who fits and open their profile, then start a Live call.",
        "Get past the front desk, find out what they need, and book a day and a time.",
        "On the call page, send a reminder and confirm the agenda; move the clock past it.",
        "Once the meeting is held, write the handoff note on the call page and hand it in.",
    ],
    "interview": [
        "Open a practice owner's profile and start a Live call: the hiring manager answers.",
        "Answer each question as a short story: situation, what you did, the result, with figures.",
        "When the manager says 'call me as if I were a prospect', run the call and book a time.",
        "Hang up and hand the interview in.",
    ],
    "report": [
        "Play (or read) the campaign: the inbox and the pipeline board hold the log.",
        "Count stages, conversion rates, reply rates and costs yourself.",
        "Write the analysis: where is the biggest drop-off, and what would you change?",
        "Enter everything in the report builder and hand it in.",
    ],
}


class ClockForm(RunForm):
    mode: Key = "day"
    hours: Key = ""
    until: Key = ""


class SpendForm(RunForm):
    channel: Key = ""
    amount: Key = ""  # read leniently ("$1,250"): a person types it


@router.get("/runs/{run_id}", name="sandbox_run")
def run_overview(run_id: PathId, p: PracticeDep) -> Response:
    ws = p.workspace(run_id)
    metrics = read.run_metrics(ws.sandbox)
    stats = [
        (label(name), value)
        for group in ("activity", "outcomes")
        for name, value in metrics[group].items()
        if value
    ]
    context = workspace_context(
        p.request,
        ws,
        "overview",
        stats=stats,
        next_steps=NEXT_STEPS.get(ws.spec.kind, []),
        sequences=sequences_of(session=p.session, run=ws.run),
        violations=ws.sandbox.state.violations[-10:],
        lessons=p.content.catalog.lessons_for_exercise(ws.spec.id),
        spent_by_channel=dict(ws.sandbox.state.spent_by_channel),
    )
    return render_run_page(p.request, "practice/overview.html", context)


@router.post("/runs/{run_id}/clock", name="sandbox_clock")
def move_clock(run_id: PathId, form: Annotated[ClockForm, Form()], p: PracticeDep) -> Response:
    post = run_post(p, run_id, form)
    request = p.request
    back = post.next(post.ws.base)
    try:
        outcome = advance_clock(
            session=p.session,
            user=p.user,
            run_id=run_id,
            mode=form.mode or "day",
            idempotency_key=post.key(),
            expected_count=form.expected_count,
            cache=p.cache,
            hours=form.hours,
            until=form.until,
        )
    except UserError as error:
        return redirect_refused(request, back, error, prefix="The clock did not move: ")
    if outcome.replayed:
        return redirect_back(request, back, "That clock move was already made.", "info")
    sandbox = p.sandbox(outcome.run)
    inbox = [e for e in outcome.events if e["type"] in read.INBOX_TYPES]
    parts = [f"It is now {when(sandbox.now)}."]
    if inbox:
        parts.append(f"{len(inbox)} new in your inbox.")
    else:
        parts.append("Nothing new in the inbox yet.")
    went = [e for e in outcome.events if e["type"] in ("message_sent", "call")]
    if went:
        parts.append(f"Scheduled sends that went out: {len(went)}.")
    if outcome.sends.sent or outcome.sends.skipped:
        parts.append(
            f"Sequence steps sent: {outcome.sends.sent}"
            + (f" ({outcome.sends.skipped} skipped)." if outcome.sends.skipped else ".")
        )
    return redirect_back(request, back, " ".join(parts), "success")


@router.post("/runs/{run_id}/spend", name="sandbox_spend")
def spend(run_id: PathId, form: Annotated[SpendForm, Form()], p: PracticeDep) -> Response:
    post = run_post(p, run_id, form)
    back = post.next(post.ws.base)
    channel = form.channel
    try:
        amount = round(float(form.amount.replace(",", "").replace("$", "")), 2)
        if not math.isfinite(amount):
            raise ValueError(amount)
    except ValueError:
        return redirect_back(
            p.request, back, "Enter the amount to spend as a number, e.g. 250.", "error"
        )
    return post.act_and_redirect(
        {"type": "spend", "channel": channel, "amount": amount},
        back=back,
        done=f"{money(amount)} on {label(channel).lower()}: "
        "inbound leads arrive over the next days.",
        refused="Nothing was spent: ",
    )
