"""CASL's second contact method: a phone, an email or a web address beside the mailing
address (Electronic Commerce Protection Regulations (CRTC), SOR/2012-36, s. 2), read from
realistic email footers."""

from __future__ import annotations

import pytest

from simulator.law import has_contact_method

ADDRESS = "Clientline, 88 Queen Street West, Toronto, ON M5H 2M5, Canada"

WITH_METHOD = [
    "Marcus Ofori | Clientline\nT: 416-555-0199\n" + ADDRESS,
    "Marcus Ofori\n" + ADDRESS + "\n(416) 555 0199",
    "Marcus\n" + ADDRESS + "\nCall me: +1 416 555 0199 ext. 204",
    "Marcus\n" + ADDRESS + "\n416.555.0199",
    "Marcus\n" + ADDRESS + "\nToll free 1-800-555-0199",
    "Priya\n21 Park Row, Leeds LS1 5JF\n+44 20 7946 0958",
    "Priya\n21 Park Row, Leeds LS1 5JF\n0113 496 0000",
    "Marcus\n" + ADDRESS + "\nmarcus.ofori@clientline.ca",
    "Marcus\n" + ADDRESS + "\nWrite to me at hello@clientline.co.uk",
    "Marcus\n" + ADDRESS + "\nhttps://clientline.ca/contact",
    "Marcus\n" + ADDRESS + "\nwww.clientline.io",
    "Marcus\n" + ADDRESS + "\nclientline.ca",
    "Marcus\n" + ADDRESS + "\nMore at clientline.com/about.",
    "Marcus\n" + ADDRESS + "\nPhone: 555-0199",  # a short number, but labelled as a phone
]

WITHOUT_METHOD = [
    ADDRESS,
    "Marcus Ofori\n" + ADDRESS + "\nReply STOP to opt out.",
    "Alex\n410 North Michigan Avenue, Suite 900, Chicago, IL 60611-4213, USA",  # ZIP+4
    "Alex\n" + ADDRESS + "\nSent 2025-03-03 10:15",  # a date and a time
    "Alex\n" + ADDRESS + "\nFax: 416 555 0100",  # a fax is not one of CASL's methods
    "Alex\n" + ADDRESS + "\nOur clients added 1 200 000 to revenue last year.",
    "Alex\n" + ADDRESS + "\nUnit 4-120, 1250 René-Lévesque Blvd W, Montréal, QC H3B 4W8",
    "Alex\n" + ADDRESS + "\nSee the attached report.pdf, e.g. page 3.",
    "Alex\n" + ADDRESS + "\nCall me back, thanks.",
    "Alex\n" + ADDRESS + "\nEst. 1998. Reg. no. 1234567.",
]


@pytest.mark.parametrize("body", WITH_METHOD)
def test_a_footer_with_a_phone_email_or_web_address_has_a_second_method(body: str) -> None:
    assert has_contact_method(body), body


@pytest.mark.parametrize("body", WITHOUT_METHOD)
def test_addresses_dates_postcodes_faxes_and_figures_are_not_a_contact_method(body: str) -> None:
    assert not has_contact_method(body), body
