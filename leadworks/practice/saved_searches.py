"""Saved searches and the ICP's buying signals as research shows them.

A saved search is a name for the search page's own query string, kept per learner and
run: opening it is the same GET as typing the filters again, so it can never disagree
with the search. Its filters are checked when it is saved (a search that would be refused
is never saved) and again when it is opened, like any address.

The ICP's signals (``signals_any``) are marked on a company's facts only once the learner
has researched the company (opened one of its people's profiles): the mark teaches what to
look for, it does not do the looking.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from course.exercise_specs import ExerciseSpec
from leadworks.accounts.models import User
from leadworks.core.errors import NotFound, UserError
from leadworks.practice import search
from leadworks.practice.models import Run, RunStatus, SavedSearch
from simulator import Sandbox
from simulator.buying_signals import SIGNAL_LABELS, fact_signals

MAX_SAVED = 30
NAME_CHARS = 60
QUERY_CHARS = 4000


def icp_signals(spec: ExerciseSpec) -> frozenset[str]:
    """The buying signals the exercise's ICP asks for (none without an ICP)."""
    icp = spec.icp
    return frozenset(icp.signals_any) if icp is not None else frozenset()


def researched(sandbox: Sandbox, company_id: str) -> bool:
    """Whether the learner opened the profile of anyone at the company."""
    viewed = sandbox.state.viewed
    return any(c.id in viewed for c in sandbox.world.contacts_at(company_id))


def marked_facts(sandbox: Sandbox, spec: ExerciseSpec, company_id: str) -> list[dict[str, Any]]:
    """Each fact of a researched company with its signals, the ICP's own marked."""
    wanted = icp_signals(spec)
    if not researched(sandbox, company_id):
        return []
    company = sandbox.world.company(company_id)
    return [
        {
            "text": text,
            "signals": [SIGNAL_LABELS.get(s, s) for s in shown],
            "icp": [SIGNAL_LABELS.get(s, s) for s in shown if s in wanted],
        }
        for text, shown in fact_signals(company)
    ]


def row_icp_signals(sandbox: Sandbox, spec: ExerciseSpec, company_id: str) -> list[str]:
    """The ICP's signals a researched company shows (nothing before it is researched)."""
    wanted = icp_signals(spec)
    if not wanted:
        return []
    found = {label for fact in marked_facts(sandbox, spec, company_id) for label in fact["icp"]}
    return sorted(found)


def saved_searches_of(session: Session, run: Run) -> list[SavedSearch]:
    query = select(SavedSearch).where(SavedSearch.run_id == run.id)
    return list(session.exec(query.order_by(col(SavedSearch.name))).all())


def save_search(
    *, session: Session, user: User, run: Run, sandbox: Sandbox, name: str, query: str
) -> SavedSearch:
    """Save (or replace, by name) the search ``query`` under ``name``."""
    name = " ".join(name.split())
    if not name:
        raise UserError("Give the search a name, e.g. Hiring gyms.", field="name")
    if len(name) > NAME_CHARS:
        raise UserError(f"A search name holds at most {NAME_CHARS} characters.", field="name")
    if len(query) > QUERY_CHARS:
        raise UserError("That search has too many filters to save.", field="query")
    pairs = parse_qsl(query, keep_blank_values=False)
    raw: dict[str, Any] = {}
    for key, value in pairs:
        if key in search.CHOICE_FILTERS:
            raw.setdefault(key, []).append(value)
        else:
            raw[key] = value
    parsed = search.parse_search(raw, search.filter_options(sandbox))  # refused if bad
    if not parsed.filters:
        raise UserError("Choose at least one filter before saving the search.", field="query")
    if run.status is not RunStatus.active:
        raise UserError("This attempt is handed in: nothing more can be saved.", field="name")
    existing = session.exec(
        select(SavedSearch).where(SavedSearch.run_id == run.id, SavedSearch.name == name)
    ).first()
    if existing is None and len(saved_searches_of(session, run)) >= MAX_SAVED:
        raise UserError(f"A run keeps at most {MAX_SAVED} saved searches.", field="name")
    assert run.id is not None and user.id is not None
    saved = existing or SavedSearch(run_id=run.id, user_id=user.id, name=name, query="")
    saved.query = query
    session.add(saved)
    try:
        session.commit()
    except IntegrityError:  # the same name saved from another tab a moment ago
        session.rollback()
        raise UserError(
            "A search with that name was just saved; try again.", field="name"
        ) from None
    session.refresh(saved)
    return saved


def delete_search(*, session: Session, run: Run, search_id: int) -> None:
    saved = session.get(SavedSearch, search_id)
    if saved is None or saved.run_id != run.id:
        raise NotFound("No such saved search in this run.")
    session.delete(saved)
    session.commit()
