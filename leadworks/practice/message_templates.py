"""Saved message templates: a learner's drafts by name, reused across runs and exercises.

They belong to the learner, not to a run, so saving one adds no event to any sandbox."""

from __future__ import annotations

from sqlmodel import Session, col, select

from leadworks.accounts.models import User
from leadworks.core.errors import NotFound, UserError
from leadworks.core.timeutil import utcnow
from leadworks.practice.models import MessageTemplate
from leadworks.practice.service import MAX_MESSAGE_CHARS

TEMPLATE_CHANNELS = ("email", "linkedin", "call")


def templates_of(*, session: Session, user: User) -> list[MessageTemplate]:
    """The learner's saved templates, by name."""
    query = select(MessageTemplate).where(MessageTemplate.user_id == user.id)
    return list(session.exec(query.order_by(col(MessageTemplate.name))).all())


def template_for(*, session: Session, user: User, template_id: int) -> MessageTemplate:
    template = session.get(MessageTemplate, template_id)
    if template is None or template.user_id != user.id:
        raise NotFound("No such saved template.")
    return template


def save_template(
    *, session: Session, user: User, name: str, channel: str, subject: str | None, body: str
) -> MessageTemplate:
    """Save a draft under a name; saving the same name and channel again replaces it (so a
    double-submitted form never makes two)."""
    name = " ".join(name.split())
    if not name:
        raise UserError("Give the template a name.", field="template_name")
    if len(name) > 120:
        raise UserError("A template name holds at most 120 characters.", field="template_name")
    if channel not in TEMPLATE_CHANNELS:
        raise UserError("Templates are for email, linkedin or call.", field="channel")
    if not body.strip():
        raise UserError("The template has no text.", field="body")
    if len(body) > MAX_MESSAGE_CHARS:
        raise UserError(
            f"The body is {len(body):,} characters long; the limit is {MAX_MESSAGE_CHARS:,}.",
            field="body",
        )
    if subject and len(subject) > 200:
        raise UserError("A subject holds at most 200 characters.", field="subject")
    assert user.id is not None
    found = session.exec(
        select(MessageTemplate).where(
            MessageTemplate.user_id == user.id,
            MessageTemplate.name == name,
            MessageTemplate.channel == channel,
        )
    ).first()
    template = found or MessageTemplate(user_id=user.id, name=name, channel=channel, body=body)
    template.subject = (subject or None) if channel == "email" else None
    template.body = body
    template.updated_at = utcnow()
    session.add(template)
    session.commit()
    return template


def delete_template(*, session: Session, user: User, template_id: int) -> None:
    session.delete(template_for(session=session, user=user, template_id=template_id))
    session.commit()
