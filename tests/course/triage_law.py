"""What the engine's law table says about one row of a triage drill.

The drill's hidden key must never contradict the sandbox: this module turns a drill item
(as the learner sees it) into the simulator's Company and Contact and asks ``simulator.law``
and ``simulator.calling_hours`` the same questions the sandbox asks. The test compares the
answers with the key, row by row.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from simulator.calling_hours import call_window, window_rule
from simulator.law import BY_ID, consent_gap, registry_rule
from simulator.market import Company, Contact, Truth
from simulator.timezones import utc_offset_minutes

COUNTRIES = {"UK": "GB", "US": "US", "Canada": "CA"}
AREAS = {"Florida": "FL", "Texas": "TX", "Colorado": "CO", "Arizona": "AZ", "California": "CA",
         "New York": "NY", "Louisiana": "LA", "Ontario": "ON", "Alberta": "AB",
         "British Columbia": "BC", "Quebec": "QC", "England": "ENG", "Scotland": "SCT",
         "Wales": "WLS", "Northern Ireland": "NIR"}  # fmt: skip
LEGAL_FORMS = {"limited company": "limited_company", "corporation": "limited_company",
               "sole trader": "sole_trader", "sole proprietor": "sole_trader",
               "partnership": "partnership"}  # fmt: skip
LINES = {"business landline": "business_landline", "business mobile": "business_mobile",
         "personal mobile": "personal"}  # fmt: skip
REGISTERS = {"none": None, "TPS": "tps", "CTPS": "ctps", "National DNC": "national_dnc",
             "DNCL": "dncl"}  # fmt: skip
DAYS = ("weekdays", "saturday", "sunday")


def engine_objects(item: dict[str, Any]) -> tuple[Company, Contact]:
    consent, _, when = (part.strip() for part in item["consent"].partition(","))
    company = Company(
        id="co", name=item["company"], industry="local_services", segment="", size_band="",
        employees=5, revenue_band="", city="", area=AREAS[item["region"]], region="",
        country=COUNTRIES[item["country"]], timezone=item["time_zone"], domain="example.com",
        tools=(), pains=(), facts=(), fact_tags=(), legal_form=LEGAL_FORMS[item["legal_form"]],
    )  # fmt: skip
    contact = Contact(
        id=item["id"], company_id="co", first_name="A", last_name="B", title="", seniority="",
        decision_maker=True, email="a@example.com", phone="+1 555 0100", social=None,
        preferred_channel="email", responsiveness=0.5, pain="",
        truth=Truth(budget=True, authority=True, need=True, timeline=True, fits_icp=True,
                    interest=0.5, opted_out=False, do_not_call=False, email_valid=True,
                    budget_amount=0),
        country=company.country, region=company.area, line_type=LINES[item["line_type"]],
        registry=REGISTERS[item["register"]], consent=consent.replace(" ", "_"),
        consent_date=when or None,
    )  # fmt: skip
    return company, contact


def engine_answer(item: dict[str, Any], today: date) -> dict[str, Any]:
    """email/call allowed, the rules that decide them, the hours, the week's UTC offset."""
    company, contact = engine_objects(item)
    gap = consent_gap(company, contact, today)
    registered = registry_rule(contact)
    hours = {}
    for name, weekday in zip(DAYS, (0, 5, 6), strict=True):
        window = call_window(company, contact, weekday)
        hours[name] = window.describe() if window else "none"
    noon = calendar.timegm(today.timetuple()) + 12 * 3600
    email_rule = gap.id if gap else _email_rule(company.country)
    return {
        "email": gap is None,
        "call": registered is None,
        "email_rule": email_rule,
        "call_rule": registered[1].id if registered else window_rule(company, contact).id,
        "hours": hours,
        "utc_offset": utc_offset_minutes(company.timezone, noon),
    }


def _email_rule(country: str) -> str:
    return {"GB": "gb.email.consent", "CA": "ca.email.consent", "US": "us.email"}[country]


def rule_text(rule_id: str) -> dict[str, str]:
    rule = BY_ID[rule_id]
    return {"summary": rule.summary, "source": rule.source}
