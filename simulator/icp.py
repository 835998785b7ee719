"""Matching contacts against an ideal customer profile or a policy's target filter.

One rule for both so that "fits the ICP" means the same in the prospect-list grader's
context, in the response model and in the scripted policies. Only ``signals_any`` needs
research: it asks for a company fact with one of the given tags (e.g. hiring, growth).
"""

from __future__ import annotations

from course.exercise_specs import IcpSpec, TargetFilter

from .market import Company, Contact


def _public_fields(
    seniority: str, decision_maker: bool, company: Company, rule: IcpSpec | TargetFilter
) -> bool:
    if rule.segments and company.segment not in rule.segments:
        return False
    if rule.size_bands and company.size_band not in rule.size_bands:
        return False
    if rule.seniority and seniority not in rule.seniority:
        return False
    if rule.decision_maker is not None and decision_maker != rule.decision_maker:
        return False
    return not (rule.regions and company.region not in rule.regions)


def matches_public(contact: Contact, company: Company, rule: IcpSpec | TargetFilter) -> bool:
    """The part of a profile a search can check without reading the company's facts."""
    return _public_fields(contact.seniority, contact.decision_maker, company, rule)


def fits_icp_fields(seniority: str, decision_maker: bool, company: Company, icp: IcpSpec) -> bool:
    """The real fit: the public criteria plus a researched signal when the ICP asks for one."""
    if not _public_fields(seniority, decision_maker, company, icp):
        return False
    return not (icp.signals_any and not set(icp.signals_any) & set(company.fact_tags))


def fits_icp(contact: Contact, company: Company, icp: IcpSpec) -> bool:
    return fits_icp_fields(contact.seniority, contact.decision_maker, company, icp)
