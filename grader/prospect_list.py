"""Prospect-list rubric: contact ids picked from a seeded market against an ideal customer
profile (ICP), and (2.0.0, when the exercise asks) research hooks for the top contacts
(``grader.prospect_hooks``).

The context's ``contacts`` holds the world's truth about every contact. Ids are matched
ignoring case and surrounding space; ids the world does not know are made up: they are
listed as evidence and earn nothing, never a crash. Every check is weighed by how much of
the list asked for is really there, so one perfect contact when 20-40 were asked is not a
good list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from grader.fields import CONTEXT, MAX_SHORT_CHARS, SUBMISSION
from grader.prospect_hooks import hooks_check, read_ask, read_hooks
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text, specs_by_id

RUBRIC_ID = "prospect_list"
RUBRIC_VERSION = "2.0.0"

CHECKS = (
    CheckSpec("size", 10, "The list size is within the exercise's minimum and maximum."),
    CheckSpec(
        "fit_precision",
        35,
        "Contacts that fit the ICP: full marks at 90% or more, none at 50% or less, scaled "
        "by how much of the size asked the list fills.",
    ),
    CheckSpec(
        "decision_makers",
        20,
        "Every company on the list has at least one decision maker on it.",
    ),
    CheckSpec("duplicates", 10, "No contact is listed twice."),
    CheckSpec("contact_data", 10, "Every contact can be reached: an email or a phone number."),
    CheckSpec("do_not_contact", 15, "No contact who asked not to be contacted."),
    CheckSpec(
        "hooks",
        15,
        "When the exercise asks: a research hook for each top contact that states a recent "
        "fact from their profile, leads to the offer, and names its source.",
    ),
)
SPEC = specs_by_id(CHECKS)

MAX_IDS = 1_000
PRECISION_RANGE = (0.5, 0.9)


@dataclass(frozen=True)
class Contact:
    id: str
    company: str
    fits_icp: bool
    decision_maker: bool
    reachable: bool
    do_not_contact: bool


def _read_ids(submission: Mapping[str, object]) -> list[str]:
    r = SUBMISSION
    raw = r.sequence(submission.get("contact_ids"), "contact_ids", max_items=MAX_IDS)
    if not raw:
        raise r.fail("contact_ids", "must list at least one contact id")
    ids = [
        r.text(v, f"contact_ids[{i}]", max_chars=MAX_SHORT_CHARS, blank=False)
        for i, v in enumerate(raw)
    ]
    r.optional_text(submission.get("notes"), "notes")
    return ids


def _read_contacts(context: Mapping[str, object]) -> dict[str, Contact] | None:
    r = CONTEXT
    if context.get("contacts") is None:
        return None
    raw = r.mapping(context.get("contacts"), "contacts")
    contacts = {}
    for cid, value in raw.items():
        where = f"contacts.{cid}"
        c = r.mapping(value, where)

        def flag(key: str, c: Mapping[str, object] = c, where: str = where) -> bool:
            return r.boolean(c.get(key), f"{where}.{key}", default=False)

        company = r.optional_text(c.get("company"), f"{where}.company", max_chars=MAX_SHORT_CHARS)
        contacts[str(cid)] = Contact(
            id=str(cid),
            company=company or str(cid),
            fits_icp=flag("fits_icp"),
            decision_maker=flag("decision_maker"),
            reachable=flag("has_email") or flag("has_phone"),
            do_not_contact=flag("do_not_contact"),
        )
    return contacts


def _read_size(context: Mapping[str, object]) -> tuple[int, int] | None:
    if context.get("list_size") is None:
        return None
    size = CONTEXT.mapping(context.get("list_size"), "list_size")
    low = CONTEXT.integer(size.get("min"), "list_size.min", minimum=0)
    high = CONTEXT.integer(size.get("max"), "list_size.max", minimum=max(1, low))
    return low, high


def normalise(ids: list[str], contacts: Mapping[str, Contact]) -> list[str]:
    """Each id as the world spells it when it matches ignoring case and spaces."""
    index = {k.strip().casefold(): k for k in contacts}
    return [index.get(i.strip().casefold(), i.strip()) for i in ids]


def filled(
    unique: list[str], contacts: Mapping[str, Contact], bounds: tuple[int, int] | None
) -> float:
    """How much of the list asked for is there: known contacts over the minimum size
    (over the list's own length when the exercise sets no size)."""
    known = sum(1 for i in unique if i in contacts)
    wanted = max(bounds[0], 1) if bounds else max(len(unique), 1)
    return min(1.0, known / wanted)


# ----------------------------------------------------------------------------- checks


def _size(unique: list[str], bounds: tuple[int, int], known: int | None) -> Check:
    spec = SPEC["size"]
    low, high = bounds
    n = len(unique) if known is None else known
    if low <= n <= high:
        return spec.award(1, f"{n} contacts: within the {low}-{high} asked for.")
    miss = (low - n) / low if n < low else (n - high) / high
    counted = "" if known is None or known == len(unique) else " real"
    return spec.award(
        0.5 if miss <= 0.2 else 0.0,
        f"{n}{counted} contacts: the exercise asks for {low}-{high}.",
        f"{'Add' if n < low else 'Cut'} contacts until the list holds {low}-{high}.",
    )


def _fit(unique: list[str], contacts: Mapping[str, Contact], share: float) -> Check:
    spec = SPEC["fit_precision"]
    fits = [i for i in unique if i in contacts and contacts[i].fits_icp]
    misfits = [i for i in unique if i in contacts and not contacts[i].fits_icp]
    unknown = [i for i in unique if i not in contacts]
    precision = len(fits) / len(unique)
    low, high = PRECISION_RANGE
    evidence = []
    if misfits:
        evidence.append(Evidence.records(misfits, "outside the ideal customer profile"))
    if unknown:
        evidence.append(Evidence.records(unknown, "not a contact in this market"))
    verdict = f"{ratio_text(len(fits), len(unique))} fit the ideal customer profile."
    advice = "Re-read the ICP and replace the listed misfits with contacts that match it."
    if share < 1:
        verdict += (
            f" The list fills {100 * share:.0f}% of the size asked, and fit counts that much."
        )
        advice = "Fill the list to the size asked with contacts that match the ICP."
    fit = min(1.0, max(0.0, (precision - low) / (high - low)))
    return spec.award(fit * share, verdict, advice, evidence)


def _decision_makers(known: list[Contact], share: float) -> Check:
    spec = SPEC["decision_makers"]
    companies = sorted({c.company for c in known})
    covered = {c.company for c in known if c.decision_maker}
    uncovered = [c for c in companies if c not in covered]
    if not companies:
        return spec.award(0, "No known contacts on the list.", "List contacts from this market.")
    verdict = f"{ratio_text(len(covered), len(companies))} companies have a decision maker listed."
    ids = [c.id for c in known if c.company in uncovered]
    evidence = [Evidence.records(ids, "no decision maker at this company")] if ids else []
    return spec.award(
        len(covered) / len(companies) * share,
        verdict,
        "For each listed company, add the person who can sign (owner, director, head of).",
        evidence,
    )


def _duplicates(ids: list[str], share: float) -> Check:
    spec = SPEC["duplicates"]
    doubled = sorted(i for i, n in Counter(ids).items() if n > 1)
    if not doubled:
        return _weighed(spec, share, "No contact is listed twice.")
    extra = len(ids) - len(set(ids))
    return spec.award(
        0.5 if extra == 1 else 0.0,
        f"{extra} duplicate entr{'y' if extra == 1 else 'ies'}.",
        "Remove the repeated ids: a duplicate means the same person gets two first emails.",
        [Evidence.records(doubled, "listed more than once")],
    )


def _contact_data(known: list[Contact], share: float) -> Check:
    spec = SPEC["contact_data"]
    if not known:
        return spec.award(0, "No known contacts on the list.", "List contacts from this market.")
    unreachable = [c.id for c in known if not c.reachable]
    reachable = len(known) - len(unreachable)
    if not unreachable:
        return spec.award(1, "Every contact has an email or a phone number.")
    return spec.award(
        reachable / len(known),
        f"{ratio_text(reachable, len(known))} contacts can be reached.",
        "Swap contacts with no email and no phone for reachable ones, or find their details.",
        [Evidence.records(unreachable, "no email and no phone")],
    )


def _do_not_contact(known: list[Contact], share: float) -> Check:
    spec = SPEC["do_not_contact"]
    flagged = [c.id for c in known if c.do_not_contact]
    if not known:
        return spec.award(0, "No known contacts on the list.", "List contacts from this market.")
    if not flagged:
        return _weighed(spec, share, "No do-not-contact entries.")
    return spec.award(
        0.3 if len(flagged) == 1 else 0.0,
        f"{len(flagged)} contact{'s' if len(flagged) > 1 else ''} on the list asked not to be "
        "contacted.",
        "Remove every do-not-contact entry before any outreach starts.",
        [Evidence.records(flagged, "do not contact")],
    )


def _weighed(spec: CheckSpec, share: float, verdict: str) -> Check:
    """Full marks for a clean list, in proportion to how much of the list asked is there."""
    if share >= 1:
        return spec.award(1, verdict)
    return spec.award(
        share,
        f"{verdict[:-1]}, but the list holds only {100 * share:.0f}% of the real contacts "
        "asked for.",
        "Fill the list to the size asked with real contacts from this market.",
    )


# ----------------------------------------------------------------------------- grading


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    ids = _read_ids(submission)
    hooks = read_hooks(submission)
    ask = read_ask(context)
    contacts = _read_contacts(context)
    bounds = _read_size(context)
    if contacts is not None:
        ids = normalise(ids, contacts)
    unique = list(dict.fromkeys(ids))
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, "prospect_list", CHECKS)
    if ask is None:
        builder.skip("hooks", "this exercise does not ask for research hooks")
    else:
        builder.add(hooks_check(SPEC["hooks"], hooks, ask, unique))
    known_n = None if contacts is None else sum(1 for i in unique if i in contacts)
    if bounds is None:
        builder.skip("size", "the context gives no list_size")
    else:
        builder.add(_size(unique, bounds, known_n))
    if contacts is None:
        builder.add(_duplicates(ids, 1.0))
        reason = "the context has no contacts to check the list against"
        for check_id in ("fit_precision", "decision_makers", "contact_data", "do_not_contact"):
            builder.skip(check_id, reason)
        return builder.build()
    share = filled(unique, contacts, bounds)
    known = [contacts[i] for i in unique if i in contacts]
    builder.add(_duplicates(ids, share))
    builder.add(_fit(unique, contacts, share))
    builder.add(_decision_makers(known, share))
    builder.add(_contact_data(known, share))
    builder.add(_do_not_contact(known, share))
    return builder.build()
