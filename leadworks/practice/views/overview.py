"""A run's overview (brief, next steps, activity) and the controls every run page offers:
moving the simulated clock and spending the budget on paid channels."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from leadworks.accounts.deps import PageUser
from leadworks.core.content import course_catalog
from leadworks.core.deps import SessionDep
from leadworks.core.errors import UserError
from leadworks.practice import read
from leadworks.practice import service as svc
from leadworks.practice.present import label, money, when
from leadworks.practice.sequences import advance_clock, sequences_of
from leadworks.practice.views.forms import (
    expected_count,
    idempotency_key,
    redirect_back,
    redirect_refused,
)
from leadworks.practice.views.run_post import read_post
from leadworks.practice.views.workspace import load_workspace, render_run_page, workspace_context

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
    "report": [
        "Play (or read) the campaign: the inbox and the pipeline board hold the log.",
        "Count stages, conversion rates, reply rates and costs yourself.",
        "Write the analysis: where is the biggest drop-off, and what would you change?",
        "Enter everything in the report builder and hand it in.",
    ],
}


@router.get("/runs/{run_id}", name="sandbox_run")
def run_overview(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = load_workspace(session, user, run_id)
    metrics = read.run_metrics(ws.sandbox)
    stats = [
        (label(name), value)
        for group in ("activity", "outcomes")
        for name, value in metrics[group].items()
        if value
    ]
    context = workspace_context(
        request,
        ws,
        "overview",
        stats=stats,
        next_steps=NEXT_STEPS.get(ws.spec.kind, []),
        sequences=sequences_of(session=session, run=ws.run),
        violations=ws.sandbox.state.violations[-10:],
        lessons=course_catalog().lessons_for_exercise(ws.spec.id),
        spent_by_channel=dict(ws.sandbox.state.spent_by_channel),
    )
    return render_run_page(request, "practice/overview.html", context)


@router.post("/runs/{run_id}/clock", name="sandbox_clock")
async def move_clock(
    run_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    post = await read_post(request, session, user, run_id)
    back = post.next(post.ws.base)
    try:
        outcome = advance_clock(
            session=session,
            user=user,
            run_id=run_id,
            mode=post.text("mode", "day"),
            idempotency_key=idempotency_key(request, post.form),
            expected_count=expected_count(post.form),
        )
    except UserError as error:
        return redirect_refused(request, back, error, prefix="The clock did not move: ")
    if outcome.replayed:
        return redirect_back(request, back, "That clock move was already made.", "info")
    sandbox = svc.live_sandbox(session=session, run=outcome.run)
    inbox = [e for e in outcome.events if e["type"] in read.INBOX_TYPES]
    parts = [f"It is now {when(sandbox.now)}."]
    if inbox:
        parts.append(f"{len(inbox)} new in your inbox.")
    else:
        parts.append("Nothing new in the inbox yet.")
    if outcome.sends.sent or outcome.sends.skipped:
        parts.append(
            f"Sequence steps sent: {outcome.sends.sent}"
            + (f" ({outcome.sends.skipped} skipped)." if outcome.sends.skipped else ".")
        )
    return redirect_back(request, back, " ".join(parts), "success")


@router.post("/runs/{run_id}/spend", name="sandbox_spend")
async def spend(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    post = await read_post(request, session, user, run_id)
    back = post.next(post.ws.base)
    channel = post.text("channel")
    try:
        amount = round(float(post.text("amount").replace(",", "").replace("$", "")), 2)
    except ValueError:
        return redirect_back(
            request, back, "Enter the amount to spend as a number, e.g. 250.", "error"
        )
    return post.act_and_redirect(
        {"type": "spend", "channel": channel, "amount": amount},
        back=back,
        done=f"{money(amount)} on {label(channel).lower()}: "
        "inbound leads arrive over the next days.",
        refused="Nothing was spent: ",
    )
