"""A contact's standing before the law: line type, do-not-call register, consent on record.

Drawn by the generator right after each contact's truth (``draw_standing``), so that law.py
can say whether a call or an email to them is allowed. The shares are assumptions where no
figure is published; they are kept here, beside the one function that uses them.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

from .law import CONSENT_SOURCES, LINE_TYPES
from .market import Company
from .seeds import Stream, cumulative

LINE_WEIGHTS = (0.55, 0.30, 0.15)
#: share of listed numbers on the national register where one covers them (the UK TPS
#: reports over 20 million numbers, the US registry over 240 million): an assumption
P_REGISTERED = {"US": 0.5, "CA": 0.4, "AU": 0.4, "GB": 0.35}
P_CTPS = 0.15  # UK corporate numbers on the CTPS
NATIONAL_REGISTER = {"US": "national_dnc", "CA": "dncl", "AU": "dncr"}
#: consent on record, in CONSENT_SOURCES order: most cold prospects gave none, or published
#: their business address (assumption)
CONSENT_WEIGHTS = (0.05, 0.04, 0.06, 0.10, 0.35, 0.40)
#: how many days ago each kind of consent was given: (least, most)
CONSENT_AGE = {"purchase": (30, 1100), "inquiry": (10, 360)}
DEFAULT_AGE = (30, 900)
_LINE_CUM = cumulative(LINE_WEIGHTS)
_CONSENT_CUM = cumulative(CONSENT_WEIGHTS)


def draw_legal_form(rng: Stream, band_index: int) -> str:
    """Small firms are often sole traders or partnerships; larger ones limited companies
    (assumption: 35% and 15% in the smallest size band, fewer in each band above)."""
    sole = max(0.0, 0.35 - 0.15 * band_index)
    partners = max(0.0, 0.15 - 0.05 * band_index)
    draw = rng.uniform()
    if draw < sole:
        return "sole_trader"
    return "partnership" if draw < sole + partners else "limited_company"


def draw_standing(
    rng: Stream, company: Company, seniority: str, *, has_phone: bool, start: date
) -> tuple[str, str | None, str, str | None]:
    """(line type, register or None, consent source, consent date or None), in that order."""
    line_type = rng.weighted(LINE_TYPES, _LINE_CUM)
    if company.legal_form == "sole_trader" and seniority == "owner" and rng.chance(0.4):
        line_type = "personal"  # a sole trader's number is often their own
    registry: str | None = None
    odds = P_REGISTERED.get(company.country, 0.0)
    if not has_phone:
        pass
    elif company.country == "GB":  # TPS covers individuals and unincorporated firms
        private = line_type == "personal" or company.legal_form != "limited_company"
        if rng.chance(odds if private else P_CTPS):
            registry = "tps" if private else "ctps"
    elif line_type == "personal" and rng.chance(odds):
        registry = NATIONAL_REGISTER.get(company.country)
    consent = rng.weighted(CONSENT_SOURCES, _CONSENT_CUM)
    consent_date = None
    if consent != "none":
        least, most = CONSENT_AGE.get(consent, DEFAULT_AGE)
        # a few hundred distinct dates over thousands of contacts: share one copy each
        consent_date = sys.intern((start - timedelta(days=rng.between(least, most))).isoformat())
    return line_type, registry, consent, consent_date
