"""A learner who meets the completion rule claims and downloads their certificate, shares
a portfolio, and an anonymous visitor (an employer) opens it and verifies the certificate
(issue #17), against a real server and Chromium.

The server runs with the rule parts the platform can check today (modules and the
capstone; docs/credentials.md). The learner meets them through the records the rule
reads: lessons completed through the progress service and a graded capstone hand-in
after real work.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, select

from leadworks.accounts.models import User
from tests.browser.conftest import LiveServer
from tests.browser.test_shell import log_in
from tests.conftest import TEST_SECRET
from tests.integration.credentials_kit import CHECKABLE_RULE, meet_rule
from tests.support.databases import scratch_database
from tests.support.servers import running_server


@pytest.fixture(scope="module")
def rule_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with scratch_database(tmp_path_factory.mktemp("cert"), "leadworks_cert") as database_url:
        env = os.environ | {
            "LEADWORKS_ENV": "development",
            "LEADWORKS_SECRET_KEY": TEST_SECRET,
            "LEADWORKS_DATABASE_URL": database_url,
            "LEADWORKS_DATA_DIR": str(tmp_path_factory.mktemp("cert-data")),
            "LEADWORKS_CREDENTIAL_RULE": json.dumps(CHECKABLE_RULE),
        }
        setup = LiveServer(url="", env=env)
        setup.cli("db", "upgrade")
        setup.cli("demo", "seed")
        engine = create_engine(database_url)
        with Session(engine) as session:
            learner = session.exec(select(User).where(User.email == "learner@example.com")).one()
            meet_rule(session, learner)
        engine.dispose()
        log = tmp_path_factory.mktemp("cert-log") / "server.log"
        with running_server(env, log) as server:
            yield LiveServer(url=server.url, env=env)


def test_certificate_download_portfolio_and_anonymous_verification(
    browser, rule_server: LiveServer, artifacts, tmp_path
) -> None:
    learner = browser.new_context(base_url=rule_server.url, accept_downloads=True)
    learner.set_default_timeout(15_000)
    page = learner.new_page()
    log_in(page, "learner@example.com")
    page.get_by_role("link", name="Certificate").first.click()
    page.wait_for_url("**/me/certificate")
    assert page.locator('[data-part="capstone"]').get_by_text("Met").is_visible()
    page.get_by_role("button", name="Claim my certificate").click()
    page.get_by_text("Your certificate is issued").wait_for()
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download the certificate (JSON)").click()
    saved = tmp_path / "certificate.json"
    caught.value.save_as(saved)
    credential = json.loads(saved.read_text())
    assert "OpenBadgeCredential" in credential["type"]
    page.screenshot(path=str(artifacts / "my-certificate.png"), full_page=True)

    page.goto("/me/portfolio")
    page.locator('input[name="submission_ids"]').first.check()
    page.get_by_role("button", name="Share my portfolio").click()
    share_url = page.locator("#share-link").get_attribute("href")
    assert share_url and share_url.startswith("/p/")
    learner.close()

    employer = browser.new_context(base_url=rule_server.url)  # no account, no cookies
    employer.set_default_timeout(15_000)
    visitor = employer.new_page()
    visitor.goto(share_url)
    assert visitor.get_by_role("heading", level=1).inner_text().strip()
    visitor.locator("#certificate").get_by_role("link", name="Check it").click()
    visitor.locator('[data-verdict="valid"]').wait_for()
    visitor.goto("/verify")
    visitor.get_by_label("Certificate").fill(saved.read_text())
    visitor.get_by_role("button", name="Verify").click()
    visitor.locator('[data-verdict="valid"]').wait_for()
    assert "Valid" in visitor.locator('[data-verdict="valid"]').inner_text()
    tampered = dict(credential, name="Chief Revenue Officer")
    visitor.get_by_label("Certificate").fill(json.dumps(tampered))
    visitor.get_by_role("button", name="Verify").click()
    visitor.locator('[data-verdict="tampered"]').wait_for()
    visitor.screenshot(path=str(artifacts / "verify-tampered.png"), full_page=True)
    employer.close()
