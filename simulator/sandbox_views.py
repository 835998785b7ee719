"""What the sandbox shows without recording anything: search results, rows, profiles.

The platform's pages call these to show a results table or a profile again; only the
``search`` and ``view_profile`` actions (sandbox.py) put anything in the log.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .actions import check_action
from .buying_signals import company_signals
from .law import compliance_view
from .market import Contact
from .sandbox_base import SandboxBase


class SandboxViews(SandboxBase):
    """Read-only views of the world and the learner's CRM."""

    def find(self, filters: Mapping[str, Any]) -> list[Contact]:
        """Contacts matching search filters, without recording a search (for page views)."""
        check_action("search", filters)
        return self._search(filters)

    def row(self, contact: Contact) -> dict[str, Any]:
        """A contact as a results-table row (public fields, stage and lists)."""
        return self._row(contact)

    def profile(self, contact_id: str) -> dict[str, Any]:
        """A contact's profile without recording a view (for pages that show it again)."""
        contact = self._contact({"contact_id": contact_id})
        cs = self._peek(contact.id)
        out = contact.public()
        out["company"] = self._company(contact).public()
        out["email_opt_out"] = self.opted_out(contact)
        out["do_not_call"] = self.do_not_call(contact)
        hour, minute, weekday = self.local_time(contact)
        out["local_time"] = f"{hour:02d}:{minute:02d}"
        out["local_weekday"] = weekday
        out["compliance"] = compliance_view(self._company(contact), contact, self.state.clock)
        out["record_source"] = self.state.record_sources.get(contact.id)
        out["history"] = (
            {
                "touches": cs.touches,
                "replied": cs.replied,
                "reply_kind": cs.reply_kind,
                "stage": cs.stage,
                "meeting": cs.meeting,
                "revealed": list(cs.revealed),
            }
            if cs
            else None
        )
        return out

    def _row(self, contact: Contact) -> dict[str, Any]:
        company = self._company(contact)
        cs = self._peek(contact.id)
        return {
            "id": contact.id,
            "name": contact.name,
            "title": contact.title,
            "seniority": contact.seniority,
            "decision_maker": contact.decision_maker,
            "company": company.name,
            "company_id": company.id,
            "segment": company.segment,
            "size_band": company.size_band,
            "city": company.city,
            "region": company.region,
            "stage": cs.stage if cs else None,
            "lists": [name for name, ids in self.state.lists.items() if contact.id in ids],
        }

    def _search(self, filters: Mapping[str, Any]) -> list[Contact]:
        def as_set(name: str) -> set[str] | None:
            value = filters.get(name)
            if value is None:
                return None
            return {value} if isinstance(value, str) else set(value)

        query = str(filters.get("query") or "").lower()
        title = str(filters.get("title") or "").lower()
        seniority, sizes = as_set("seniority"), as_set("size_band")
        segments, regions, cities = as_set("segment"), as_set("region"), as_set("city")
        decision_maker = filters.get("decision_maker")
        has_email, has_phone = filters.get("has_email"), filters.get("has_phone")
        members = set(self.state.lists.get(str(filters["list"]), ())) if "list" in filters else None
        signals, tools = as_set("signal"), as_set("technology")
        low, high = filters.get("min_employees"), filters.get("max_employees")
        seen: dict[str, frozenset[str]] = {}  # a company's signals, read once per search
        out: list[Contact] = []
        for contact, company, text, title_text in self.world.search_index():
            if members is not None and contact.id not in members:
                continue
            if seniority and contact.seniority not in seniority:
                continue
            if decision_maker is not None and contact.decision_maker != decision_maker:
                continue
            if has_email is not None and (contact.email is not None) != has_email:
                continue
            if has_phone is not None and (contact.phone is not None) != has_phone:
                continue
            if title and title not in title_text:
                continue
            if sizes and company.size_band not in sizes:
                continue
            if segments and company.segment not in segments:
                continue
            if regions and company.region not in regions:
                continue
            if cities and company.city not in cities:
                continue
            if low is not None and company.employees < low:
                continue
            if high is not None and company.employees > high:
                continue
            if tools and tools.isdisjoint(company.tools):
                continue
            if signals:
                shown = seen.get(company.id)
                if shown is None:
                    shown = seen[company.id] = company_signals(company)
                if signals.isdisjoint(shown):
                    continue
            if query and query not in text:
                continue
            out.append(contact)
        return out
