"""Prospect search: the filters a world offers, checking what a learner asked for, and the
matching rows. The same rules serve the search page, the API and the logged ``search``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leadworks.core.errors import UserError
from simulator import Sandbox
from simulator.buying_signals import SIGNALS, company_signals

CHOICE_FILTERS = ("seniority", "size_band", "segment", "region", "city", "signal", "technology")
NUMBER_FILTERS = ("min_employees", "max_employees")
MAX_EMPLOYEES = 1_000_000


PER_PAGE_CHOICES = (25, 50, 100)


def filter_options(sandbox: Sandbox) -> dict[str, list[str]]:
    """The values each choice filter can take in this world (for the search form)."""
    world = sandbox.world
    values: dict[str, set[str]] = {name: set() for name in CHOICE_FILTERS}
    for contact in world.contacts:
        values["seniority"].add(contact.seniority)
    for company in world.companies:
        values["size_band"].add(company.size_band)
        values["segment"].add(company.segment)
        values["region"].add(company.region)
        values["city"].add(company.city)
        values["signal"].update(company_signals(company))
        values["technology"].update(company.tools)
    options = {name: sorted(found) for name, found in values.items()}
    options["size_band"].sort(key=size_order)
    options["signal"] = [s for s in SIGNALS if s in values["signal"]]
    return options


def size_order(band: str) -> tuple[float, str]:
    """Company-size bands in numeric order: "1-10" < "11-50" < "201-1000" < "1001-5000"."""
    digits = re.match(r"\s*(\d[\d,]*)", band)
    return (float(digits.group(1).replace(",", "")) if digits else float("inf"), band)


def _count(raw: Any, name: str) -> int | None:
    """An employee count as typed ("1,000"), or None when left empty; refused clearly."""
    text = str(raw or "").strip().replace(",", "")
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_EMPLOYEES:
        raise UserError(
            f"Filter '{name}' takes a whole number of employees from 0 to {MAX_EMPLOYEES:,}.",
            field=name,
        )
    return int(text)


@dataclass(frozen=True)
class SearchQuery:
    filters: dict[str, Any]
    page: int
    per_page: int


def _flag(raw: Any, name: str) -> bool | None:
    if raw in (None, "", "any"):
        return None
    if raw in (True, "true", "yes", "1", 1):
        return True
    if raw in (False, "false", "no", "0", 0):
        return False
    raise UserError(f"Filter '{name}' must be yes, no or any.", field=name)


def parse_search(raw: Mapping[str, Any], options: Mapping[str, list[str]]) -> SearchQuery:
    """Check every filter value against what this world has; say which one is wrong."""
    filters: dict[str, Any] = {}
    for name in ("query", "title"):
        text = str(raw.get(name) or "").strip()
        if len(text) > 100:
            raise UserError(f"Filter '{name}' is longer than 100 characters.", field=name)
        if text:
            filters[name] = text
    for name in CHOICE_FILTERS:
        value = raw.get(name)
        chosen = [value] if isinstance(value, str) else list(value or [])
        chosen = [v for v in chosen if v not in ("", "any")]
        unknown = [v for v in chosen if v not in options[name]]
        if unknown:
            allowed = ", ".join(options[name][:12])
            raise UserError(
                f"Filter '{name}' has no value '{str(unknown[0])[:40]}'; choose from: {allowed}.",
                field=name,
            )
        if chosen:
            filters[name] = chosen if len(chosen) > 1 else chosen[0]
    low, high = (_count(raw.get(name), name) for name in NUMBER_FILTERS)
    if low is not None and high is not None and low > high:
        raise UserError(
            "The minimum number of employees is above the maximum.", field="min_employees"
        )
    for name, count in zip(NUMBER_FILTERS, (low, high), strict=True):
        if count is not None:
            filters[name] = count
    for name in ("decision_maker", "has_email", "has_phone"):
        flag = _flag(raw.get(name), name)
        if flag is not None:
            filters[name] = flag
    list_name = str(raw.get("list") or "").strip()
    if list_name:
        filters["list"] = list_name[:60]
    try:
        page = int(raw.get("page") or 1)
        per_page = int(raw.get("per_page") or PER_PAGE_CHOICES[0])
    except (TypeError, ValueError):
        raise UserError("Page numbers must be whole numbers.", field="page") from None
    if page < 1 or page > 10_000:
        raise UserError("Page must be between 1 and 10,000.", field="page")
    if per_page not in PER_PAGE_CHOICES:
        choices = ", ".join(map(str, PER_PAGE_CHOICES))
        raise UserError(f"Results per page must be one of {choices}.", field="per_page")
    return SearchQuery(filters, page, per_page)


def search_rows(sandbox: Sandbox, query: SearchQuery) -> tuple[list[dict[str, Any]], int]:
    """One page of matching contacts (public fields) and the number of matches."""
    matches = sandbox.find(query.filters)
    start = (query.page - 1) * query.per_page
    rows = [sandbox.row(c) for c in matches[start : start + query.per_page]]
    return rows, len(matches)


def last_search_filters(sandbox: Sandbox) -> dict[str, Any] | None:
    """The filters of the learner's most recent logged search (None before the first)."""
    for event in reversed(sandbox.events):
        if event.type == "search" and event.actor == "learner":
            return dict(event.data.get("filters") or {})
    return None
