"""Idempotency keys: every change to a run carries one, so that a retried request (a double
click, a client's retry after a timeout) is recognised by its receipt and applied once.

A key is bound to the kind of request it first did (``action:<type>`` or ``hand_in``, kept
in its receipt): the same key sent again for the same kind gets the stored answer; sent
for another kind it is refused (422) with nothing changed, never mistaken for the first
request. Two identical requests that race each other both get the one stored answer: the
receipt is looked up again under the run's lock, and a unique violation on the receipt
means the other request won, so its answer is read back (``ReceiptRaced``).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from leadworks.core.errors import UserError
from leadworks.practice.models import ActionReceipt

HAND_IN = "hand_in"


class KeyReused(UserError):
    """A key already used for another kind of request."""

    status_code = 422


class ReceiptRaced(Exception):
    """The key's receipt appeared while this request waited: answer with it instead."""


def action_kind(action: dict[str, Any]) -> str:
    return f"action:{action.get('type')}"


def receipt_of(session: Session, run_id: int, key: str) -> ActionReceipt | None:
    return session.exec(
        select(ActionReceipt).where(ActionReceipt.run_id == run_id, ActionReceipt.key == key)
    ).first()


def stored_kind(receipt: ActionReceipt) -> str:
    """The kind a receipt's key was used for (receipts before kinds were kept: inferred)."""
    response = receipt.response
    kind = response.get("request")
    if isinstance(kind, str):
        return kind
    return HAND_IN if "submission_id" in response else "action"


def check_same_kind(receipt: ActionReceipt, kind: str) -> dict[str, Any]:
    """The receipt's stored answer, when its key was used for ``kind``; else ``KeyReused``."""
    used = stored_kind(receipt)
    if used != kind and not (used == "action" and kind.startswith("action:")):
        raise KeyReused(
            f"This Idempotency-Key was already used for another request ({_label(used)}); "
            f"use a new key for this one ({_label(kind)}). Nothing was changed.",
            field="idempotency_key",
        )
    return receipt.response


def _label(kind: str) -> str:
    return "a hand-in" if kind == HAND_IN else f"the action {kind.partition(':')[2] or kind}"
