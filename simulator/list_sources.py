"""Where a contact record came from, and how good it is: bought lists versus researched ones.

A learner may buy a list (``buy_list``): a cheap one is a random slice of the market, old and
unverified, so many of its addresses bounce and many of its people left the role it names;
a researched list costs more per record but targets the ideal customer profile and is
verified. Each record's flaws are drawn once per (world, source, contact) from a stream of
their own, so a replay and every other run of the same seed agree. Viewing a profile is
research: it corrects a bought record (the right address, the person in the role), so the
flaw no longer counts. The sender's reputation (reputation.py) pays for every bounce.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .events import ActionRefused, Event
from .icp import matches_public
from .market import Contact
from .outcomes_shared import OutcomeTools
from .seeds import Stream, derive_seed


@dataclass(frozen=True, slots=True)
class ListSource:
    """A kind of list on sale: price per record and the share of flawed records."""

    key: str
    label: str
    price: float  # USD per record
    stale_email: float  # share of records whose address bounces
    wrong_role: float  # share of records whose person no longer holds the role named
    targeted: bool  # picked to fit the exercise's ideal customer profile
    source: str


LIST_SOURCES: dict[str, ListSource] = {
    "bought": ListSource(
        "bought",
        "a cheap bought list",
        0.10,
        0.30,
        0.25,
        False,
        "assumption: cheap lists are old and unverified (B2B contact data decays by a fifth"
        " or more a year); a random slice of the market",
    ),
    "researched": ListSource(
        "researched",
        "a researched, verified list",
        1.50,
        0.02,
        0.05,
        True,
        "assumption: a verified provider's records, picked to fit the profile, at about"
        " fifteen times the price",
    ),
}
MAX_LIST_SIZE = 2_000


def record_flaws(seed: int, source: str, contact_id: str) -> tuple[bool, bool]:
    """(stale email, wrong role) of the record of ``contact_id`` on a list from ``source``."""
    quality = LIST_SOURCES[source]
    u = Stream(derive_seed(seed, "list-record", source, contact_id)).many(2)
    return u[0] < quality.stale_email, u[1] < quality.wrong_role


class ListOutcomes(OutcomeTools):
    """The rule and the applier of ``buy_list``, and the flaws a record brings."""

    def record_flaws(self, contact: Contact) -> tuple[bool, bool]:
        """The flaws of the learner's record of ``contact``: none unless it came from a
        list and nobody has researched the contact since (``view_profile``)."""
        source = self.state.record_sources.get(contact.id)
        if source is None or contact.id in self.state.viewed:
            return False, False
        stale, wrong = record_flaws(self.world.seed, source, contact.id)
        return stale and contact.truth.email_valid, wrong

    def _check_buy_list(self, data: dict[str, Any]) -> None:
        source = LIST_SOURCES.get(str(data.get("source")))
        if source is None:
            raise ActionRefused(f"list sources are {', '.join(LIST_SOURCES)}", "source")
        size = data.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= MAX_LIST_SIZE:
            raise ActionRefused(f"buy between 1 and {MAX_LIST_SIZE} records", "size")
        cost = round(source.price * size, 2)
        if cost > self.state.remaining_budget:
            raise ActionRefused(
                f"{size} records cost {cost:.2f} USD; only {self.state.remaining_budget:.2f}"
                " USD of budget left",
                "size",
            )
        if not isinstance(data.get("list"), str) or not data["list"].strip():
            raise ActionRefused("a list needs a name", "list_name")

    def _profile_match(self, contact: Contact) -> bool:
        icp = self.world.icp
        return icp is None or matches_public(contact, self._company(contact), icp)

    def _apply_buy_list(self, event: Event) -> None:
        source = LIST_SOURCES[event.data["source"]]
        size = int(event.data["size"])
        cost = round(source.price * size, 2)
        self.state.spent = round(self.state.spent + cost, 2)
        spent = self.state.spent_by_channel.get("lists", 0.0)
        self.state.spent_by_channel["lists"] = round(spent + cost, 2)
        owned = set(self.state.record_sources)
        pool = [
            c
            for c in self.world.contacts
            if c.email is not None
            and c.id not in owned
            and (not source.targeted or self._profile_match(c))
        ]
        chosen = self._rng(event.seq).sample(pool, min(size, len(pool)))
        chosen.sort(key=lambda c: c.id)
        members = self.state.lists.setdefault(event.data["list"], [])
        for contact in chosen:
            self.state.record_sources[contact.id] = source.key
            if contact.id not in members:
                members.append(contact.id)
        self.state.counts[f"records_{source.key}"] += len(chosen)
