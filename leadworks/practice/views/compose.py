"""The composer: write a message (or a call opener) to one prospect, see it live as they
would read it, send it, and keep reusable templates.

htmx swaps only the ``preview`` block while the learner types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from leadworks.accounts.models import User
from leadworks.core.errors import NotFound, UserError
from leadworks.core.inputs import Key, Line, Passage, PathId, parse_id
from leadworks.core.templating import is_htmx, render
from leadworks.practice import message_templates, read
from leadworks.practice import preview as drafts
from leadworks.practice import service as svc
from leadworks.practice.drafts import draft_of, forget_draft, save_draft
from leadworks.practice.models import ActionReceipt
from leadworks.practice.present import excerpt, label, when
from leadworks.practice.send_time import contact_time, timed_action, timing_context
from leadworks.practice.views.forms import (
    form_text,
    redirect_back,
    require_max_chars,
    reraise_conflicts,
)
from leadworks.practice.views.run_post import RunForm, RunPost, run_post
from leadworks.practice.views.workspace import (
    PracticeDep,
    Workspace,
    render_run_page,
    workspace_context,
)
from simulator.events import parse_iso

router = APIRouter()


class ComposeForm(RunForm):
    """The composer's fields (the same names the address carries on a GET)."""

    contact_id: Key = ""
    channel: Key = ""
    subject: Line = ""
    body: Passage = ""  # the service says how long a message may be, in its own words
    template_id: Key = ""
    template_name: Line = ""
    confirm_duplicate: Key = ""  # "yes": the learner saw the warning and sends it again
    send_at: Key = ""  # a local date and time of the prospect's; empty: now
    schedule: Key = ""  # "next": at the next slot their allowed hours give
    confirm_hours: Key = ""  # "yes": the learner saw the hours question and goes ahead

    def draft(self, ws: Workspace) -> dict[str, Any]:
        return draft_from(self.model_dump(), ws)


class TemplateRef(RunForm):
    template_id: Key = ""


def draft_from(form: Mapping[str, Any], ws: Workspace) -> dict[str, Any]:
    """The composer's fields as they were posted (or passed in the address)."""
    channel = form_text(form, "channel") or (ws.message_channels[0] if ws.message_channels else "")
    return {
        "contact_id": form_text(form, "contact_id"),
        "channel": channel,
        "subject": form_text(form, "subject"),
        "body": form_text(form, "body"),
        "template_id": form_text(form, "template_id"),
        "template_name": form_text(form, "template_name"),
        "send_at": form_text(form, "send_at"),
    }


def compose_context(
    request: Request,
    session: Session,
    user: User,
    ws: Workspace,
    draft: dict[str, Any],
    error: UserError | None = None,
) -> dict[str, Any]:
    """The composer page for ``draft``: its prospect, live preview, templates, sent log."""
    contact_id = draft["contact_id"]
    contact = ws.sandbox.world.contact(contact_id) if contact_id else None
    if contact_id and contact is None:
        draft["contact_id"] = contact_id = ""
    known = read.known_contacts(ws.sandbox)
    if contact is not None and all(k["id"] != contact_id for k in known):
        known.insert(
            0,
            {
                "id": contact_id,
                "name": contact.name,
                "company": ws.sandbox.world.company_of(contact).name,
                "title": contact.title,
            },
        )
    channel = draft["channel"] if draft["channel"] in ws.message_channels else ""
    preview = (
        drafts.preview(ws.sandbox, contact_id or None, channel, draft["subject"], draft["body"])
        if channel
        else None
    )
    templates = message_templates.templates_of(session=session, user=user)
    return workspace_context(
        request,
        ws,
        "compose",
        draft=draft,
        channel=channel,
        contact=contact,
        flags=read.contact_flags(ws.sandbox, contact_id) if contact else {},
        known=known,
        preview=preview,
        templates=[t for t in templates if t.channel in ws.message_channels],
        merge_fields=drafts.merge_fields(),
        sent=read.sent_messages(ws.sandbox)[:15],
        compose_error=error,
        can_hand_in=ws.active and ws.spec.kind == "outreach",
        deliverable_channel=ws.spec.deliverable.channel,
        max_chars=svc.MAX_MESSAGE_CHARS,
        **timing_context(ws.sandbox, contact, draft["send_at"]),
    )


def render_composer(post: RunPost, error: UserError, **extra: Any) -> Response:
    """The composer again, with the posted draft and why it was refused."""
    draft = post.form.draft(post.ws)
    p = post.practice
    context = compose_context(p.request, p.session, p.user, post.ws, draft, error) | extra
    return render_run_page(
        post.request, "practice/compose.html", context, status_code=error.status_code
    )


def _composer_url(ws: Workspace, **keep: Any) -> str:
    """The composer's address, keeping the given fields that are set."""
    return f"{ws.base}/compose?" + urlencode({k: v for k, v in keep.items() if v})


@router.get("/runs/{run_id}/compose", name="sandbox_compose")
def compose(run_id: PathId, p: PracticeDep) -> Response:
    request, session, user = p.request, p.session, p.user
    ws = p.workspace(run_id)
    draft = draft_from(request.query_params, ws)
    assert ws.run.id is not None
    kept = draft_of(session=session, run_id=ws.run.id, contact_id=draft["contact_id"])
    if kept is not None and "body" not in request.query_params:  # the autosaved draft
        saved = draft | {"channel": kept.channel or draft["channel"]}
        saved |= {"subject": kept.subject, "body": kept.body}
        if _same_message_sent(ws, saved) is None:  # not the text that already went out
            draft = saved
    replying = _answered(ws, request.query_params.get("reply_to"), draft["contact_id"])
    if replying and not draft["subject"] and replying.get("subject"):
        draft["subject"] = "Re: " + str(replying["subject"]).removeprefix("Re: ")
    template_id = parse_id(draft["template_id"])
    if template_id is not None:
        template = message_templates.template_for(
            session=session, user=user, template_id=template_id
        )
        draft.update(
            channel=template.channel,
            subject=template.subject or "",
            body=template.body,
            template_name=template.name,
        )
    context = compose_context(request, session, user, ws, draft) | {
        "replying": replying,
        "just_scheduled": request.query_params.get("scheduled", ""),
    }
    return render_run_page(request, "practice/compose.html", context, fragments=("preview",))


def _answered(ws: Workspace, reply_to: str | None, contact_id: str) -> dict[str, Any] | None:
    """The prospect's message a Reply answers (with the subject it replied to), if any."""
    seq = parse_id(reply_to or "")
    if seq is None or not contact_id or seq >= ws.sandbox.event_count:
        return None
    event = ws.sandbox.events[seq]
    if event.actor != "world" or event.data.get("contact_id") != contact_id:
        return None
    subject = None
    for earlier in reversed(ws.sandbox.events[:seq]):
        if earlier.type == "message_sent" and earlier.data.get("contact_id") == contact_id:
            subject = earlier.data.get("subject")
            break
    return {
        "seq": seq,
        "at": event.at,
        "channel": event.data.get("channel"),
        "text": str(event.data.get("text") or ""),
        "subject": subject,
    }


@router.get("/runs/{run_id}/compose/preview", name="sandbox_preview_page")
def compose_preview_page(run_id: PathId, p: PracticeDep) -> Response:
    """A reload or a bookmark of the preview address: the composer, with the saved draft."""
    ws = p.workspace(run_id)
    keep = {k: p.request.query_params.get(k, "") for k in ("contact_id", "channel")}
    return redirect_back(p.request, _composer_url(ws, **keep), "")


@router.post("/runs/{run_id}/compose/preview", name="sandbox_preview")
def compose_preview(
    run_id: PathId, form: Annotated[ComposeForm, Form()], p: PracticeDep
) -> Response:
    """The live preview (htmx swaps just the preview; without JavaScript, the whole page)."""
    request = p.request
    post = run_post(p, run_id, form)
    draft = form.draft(post.ws)
    # autosave: nothing typed is lost; but a preview that lands after its message was sent
    # (the autosave races the Send button) must not bring the sent text back as a draft
    sent = post.ws.active and _same_message_sent(post.ws, draft) is not None
    if post.ws.active and post.ws.run.id is not None and not sent:
        save_draft(
            session=p.session,
            run_id=post.ws.run.id,
            contact_id=draft["contact_id"],
            channel=draft["channel"],
            subject=draft["subject"],
            body=draft["body"],
        )
    if is_htmx(request):
        context = compose_context(request, p.session, p.user, post.ws, draft)
        return render(request, "practice/compose.html", context, block="preview")
    # post, redirect, get: a reload shows the composer with the saved draft (never a 405)
    keep = {"contact_id": draft["contact_id"], "channel": draft["channel"]}
    if not post.ws.active:
        keep |= {"subject": draft["subject"], "body": draft["body"]}
    return redirect_back(
        request, _composer_url(post.ws, **keep), "Preview refreshed, draft saved.", "info"
    )


def _send_action(ws: Workspace, draft: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The draft as the action that sends it (a call for the call channel), and its
    prospect; refused when the channel, the prospect or the length is wrong."""
    channel, contact_id = draft["channel"], draft["contact_id"]
    if channel not in ws.message_channels:
        names = ", ".join(label(c) for c in ws.message_channels) or "none"
        raise UserError(f"Choose a channel this exercise uses ({names}).", field="channel")
    contact = ws.sandbox.world.contact(contact_id) if contact_id else None
    if contact is None:
        raise UserError("Choose the prospect to send this to.", field="contact_id")
    require_max_chars(
        draft["body"],
        svc.MAX_MESSAGE_CHARS,
        field="body",
        what="The message",
        then=" Nothing was sent.",
    )
    if channel == "call":
        return {"type": "call", "contact_id": contact_id, "opener": draft["body"]}, contact
    action = {
        "type": "send_message",
        "contact_id": contact_id,
        "channel": channel,
        "body": draft["body"],
    }
    if channel == "email" and draft["subject"].strip():
        action["subject"] = draft["subject"]
    return action, contact


def _first_try(post: RunPost) -> bool:
    """Neither a retry of a request already done (its key has a receipt: the same answer
    again) nor a stale page (refused as such): only then is a repeat worth a question."""
    run = post.ws.run
    key = post.key()
    if (
        key
        and post.practice.session.exec(
            select(ActionReceipt).where(ActionReceipt.run_id == run.id, ActionReceipt.key == key)
        ).first()
    ):
        return False
    expected = post.form.expected_count
    return expected is None or expected == run.event_count


def _same_message_sent(ws: Workspace, draft: dict[str, Any]) -> str | None:
    """When the same text already went to the same prospect on the same channel (a
    back-then-resubmit, a double tab): the simulated time it went, else None."""
    channel, contact_id = draft["channel"], draft["contact_id"]
    rendered = drafts.preview(ws.sandbox, contact_id, channel, draft["subject"], draft["body"])
    text = " ".join((rendered.body or "").split())
    for sent in read.sent_messages(ws.sandbox, contact_id):
        data = sent.get("data") or {}
        body = data.get("opener") if channel == "call" else data.get("body")
        same_channel = data.get("channel", "call") == channel
        if same_channel and " ".join(str(body or "").split()) == text and text:
            return str(sent.get("at", ""))[:16].replace("T", " ") + " UTC"
    return None


@router.post("/runs/{run_id}/compose/send", name="sandbox_send")
def compose_send(run_id: PathId, form: Annotated[ComposeForm, Form()], p: PracticeDep) -> Response:
    request = p.request
    post = run_post(p, run_id, form)
    draft = form.draft(post.ws)
    channel = draft["channel"]
    try:
        action, contact = _send_action(post.ws, draft)
        earlier = _same_message_sent(post.ws, draft) if _first_try(post) else None
        if earlier is not None and form.confirm_duplicate != "yes":
            return render_composer(
                post,
                UserError(
                    f"You already sent this message to {contact.name} ({earlier}). Send it again?",
                    field="confirm_duplicate",
                ),
                duplicate=True,
            )
        action, ask = timed_action(
            post.ws.sandbox,
            contact,
            action,
            send_at=form.send_at,
            schedule=form.schedule,
            anyway=form.confirm_hours == "yes",
        )
        if ask is not None:
            error = UserError(ask.question(contact.name), field="send_at")
            return render_composer(post, error, hours_ask=ask)
        outcome = post.act(action)
    except UserError as error:
        reraise_conflicts(error)
        return render_composer(post, error)
    assert post.ws.run.id is not None
    if action["type"] == "schedule_send":
        forget_draft(session=p.session, run_id=post.ws.run.id, contact_id=draft["contact_id"])
        slot = contact_time(post.ws.sandbox, contact, parse_iso(action["at"]))
        said = f"Scheduled for {slot.text} {contact.name}'s time ({when(action['at'])})."
        # the composer marks the new item under Scheduled, where it reads in both zones
        target = _composer_url(post.ws, channel=channel, scheduled=f"{contact.id}@{action['at']}")
        return redirect_back(request, target, said)
    forget_draft(session=p.session, run_id=post.ws.run.id, contact_id=draft["contact_id"])
    target = _composer_url(post.ws, channel=channel, template_id=draft["template_id"])
    if channel == "call":
        result = outcome.result if isinstance(outcome.result, dict) else {}
        said = excerpt(str(result.get("text") or ""), 220)
        return redirect_back(request, target, f"You called {contact.name}. {said}", "info")
    what = "Email" if channel == "email" else "LinkedIn message"
    return redirect_back(
        request,
        target,
        f"{what} sent to {contact.name}. Advance the clock to see what happens.",
    )


@router.post("/runs/{run_id}/templates", name="sandbox_save_template")
def save_template(run_id: PathId, form: Annotated[ComposeForm, Form()], p: PracticeDep) -> Response:
    request = p.request
    post = run_post(p, run_id, form)
    draft = form.draft(post.ws)
    try:
        template = message_templates.save_template(
            session=p.session,
            user=p.user,
            name=draft["template_name"],
            channel=draft["channel"],
            subject=draft["subject"],
            body=draft["body"],
        )
    except UserError as error:
        return render_composer(post, error)
    target = _composer_url(post.ws, template_id=template.id, contact_id=draft["contact_id"])
    return redirect_back(request, target, f"Template '{template.name}' saved for reuse.")


@router.post("/runs/{run_id}/templates/delete", name="sandbox_delete_template")
def delete_template(
    run_id: PathId, form: Annotated[TemplateRef, Form()], p: PracticeDep
) -> Response:
    post = run_post(p, run_id, form)
    template_id = parse_id(form.template_id)
    if template_id is None:
        raise NotFound("No such saved template.")
    message_templates.delete_template(session=p.session, user=p.user, template_id=template_id)
    return redirect_back(p.request, f"{post.ws.base}/compose", "Template deleted.")
