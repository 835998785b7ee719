"""Email through a real SMTP server started by the test, the outbox admins read in
development, and what people are told when sending fails."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator

import pytest
import trustme
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from leadworks.accounts.models import AccountLink, User
from leadworks.app import create_app
from leadworks.cohorts.models import Cohort
from leadworks.cohorts.service import create_invite
from leadworks.core.config import Environment, Settings
from leadworks.core.deps import get_session
from leadworks.mail import service as mail_service
from leadworks.mail.models import MailMessage, MailStatus
from tests.conftest import TEST_SECRET, csrf_from, login
from tests.support.mailbox import last_mail, links_in
from tests.support.smtp import free_port, smtp_server

AppFactory = Callable[..., FastAPI]
# The test server accepts AUTH without TLS (a real one would not): fine on 127.0.0.1.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def app_with(settings: Settings, engine: Engine, session: Session) -> AppFactory:
    """The app with some settings changed (an SMTP server, production...)."""

    def factory(**changes: object) -> FastAPI:
        application = create_app(settings.model_copy(update=changes), engine=engine)
        application.state.owns_engine = False

        def test_session() -> Iterator[Session]:
            yield session

        application.dependency_overrides[get_session] = test_session
        return application

    return factory


@pytest.fixture
def smtp() -> Iterator[tuple[int, object]]:
    with smtp_server() as served:
        yield served


def _forgot(client: TestClient, email: str):
    token = csrf_from(client.get("/password/forgot").text)
    return client.post("/password/forgot", data={"email": email, "csrf_token": token})


def _links(session: Session, email: str) -> int:
    query = select(func.count()).select_from(AccountLink).where(AccountLink.email == email)
    return session.exec(query).one()


def test_a_reset_link_goes_out_through_smtp_and_works(
    app_with: AppFactory, session: Session, learner: User
) -> None:
    with smtp_server(username="mailer", password="s3cret-pass") as (port, inbox):
        app = app_with(
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_starttls=False,
            smtp_username="mailer",
            smtp_password=SecretStr("s3cret-pass"),
            smtp_from="Leadworks <academy@example.org>",
            public_url="https://academy.example.org",
        )
        with TestClient(app, follow_redirects=False) as client:
            assert _forgot(client, learner.email).status_code == 200
    assert inbox.logins == ["mailer"]
    assert inbox.recipients == [[learner.email]]
    message = inbox.messages[0]
    assert message["From"] == "Leadworks <academy@example.org>"
    assert message["Subject"] == "Reset your Leadworks Academy password"
    body = message.get_payload(decode=True).decode()
    link = next(link for link in links_in(body) if "/password/reset" in link)
    assert link.startswith("https://academy.example.org/password/reset?token=")  # not the Host
    record = last_mail(session, learner.email)
    assert record.status is MailStatus.sent and record.body == ""  # the link is not kept
    with TestClient(app, follow_redirects=False) as client:
        form = client.get(link.removeprefix("https://academy.example.org"))
        assert form.status_code == 200 and 'name="token"' in form.text


@pytest.fixture
def test_ca(monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    """A certificate authority the mail client trusts for this test only."""
    ca = trustme.CA()

    def trusting() -> ssl.SSLContext:
        context = ssl.create_default_context()
        ca.configure_trust(context)
        return context

    monkeypatch.setattr(mail_service, "tls_context", trusting)
    return ca


def _server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


@pytest.mark.parametrize("mode", ["starttls", "implicit"])
def test_mail_goes_over_tls(
    app_with: AppFactory, session: Session, learner: User, test_ca: trustme.CA, mode: str
) -> None:
    server_tls = {"starttls" if mode == "starttls" else "implicit_tls": _server_context(test_ca)}
    with smtp_server(**server_tls) as (port, inbox):
        app = app_with(
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_starttls=mode == "starttls",
            smtp_ssl=mode == "implicit",
        )
        with TestClient(app, follow_redirects=False) as client:
            assert _forgot(client, learner.email).status_code == 200
    assert inbox.recipients == [[learner.email]]


def test_an_untrusted_certificate_is_a_failed_send(
    app_with: AppFactory, session: Session, learner: User
) -> None:
    with smtp_server(starttls=_server_context(trustme.CA())) as (port, inbox):
        app = app_with(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=True)
        with TestClient(app, follow_redirects=False) as client:
            failed = _forgot(client, learner.email)
    assert failed.status_code == 503 and inbox.messages == []
    assert "no secure connection" in failed.text
    assert _links(session, learner.email) == 0


def test_a_failed_send_undoes_the_request_and_says_so(
    app_with: AppFactory, session: Session, learner: User, cohort: Cohort
) -> None:
    app = app_with(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False)
    with TestClient(app, follow_redirects=False) as client:
        failed = _forgot(client, learner.email)
        assert failed.status_code == 503
        assert "could not send the email" in failed.text and "Nothing was changed" in failed.text
        assert learner.email in failed.text  # the form keeps what was typed
        assert _links(session, learner.email) == 0
        record = last_mail(session, learner.email)
        assert record.status is MailStatus.failed and "could not be reached" in record.error

        create_invite(session=session, cohort=cohort, code="NOMAIL22")
        token = csrf_from(client.get("/register").text)
        register = client.post(
            "/register",
            data={"invite_code": "NOMAIL22", "name": "Nia", "email": "nia@example.org",
                  "password": "a-strong-passphrase", "csrf_token": token},
        )  # fmt: skip
        assert register.status_code == 503 and "could not send" in register.text
        assert _links(session, "nia@example.org") == 0
        assert session.exec(select(User).where(User.email == "nia@example.org")).first() is None


def test_a_refusing_server_is_reported_too(
    app_with: AppFactory, session: Session, learner: User
) -> None:
    with smtp_server(refuse_recipients=True) as (port, inbox):
        app = app_with(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
        with TestClient(app, follow_redirects=False) as client:
            failed = _forgot(client, learner.email)
    assert failed.status_code == 503 and "refused the recipient address" in failed.text
    assert inbox.messages == []
    assert _links(session, learner.email) == 0


def test_the_outbox_keeps_development_mail_for_admins(
    client: TestClient, session: Session, admin: User, learner: User
) -> None:
    asked = _forgot(client, learner.email)
    assert "outbox" in asked.text  # the person is told no real email left this server
    record = last_mail(session, learner.email)
    assert record.status is MailStatus.outbox and "/password/reset?token=" in record.body
    login(client, admin)
    outbox = client.get("/admin/outbox")
    assert outbox.status_code == 200 and "Reset your Leadworks Academy password" in outbox.text
    message = client.get(f"/admin/outbox/{record.id}")
    assert message.status_code == 200
    assert '<a href="http://testserver/password/reset?token=' in message.text  # clickable
    assert client.get("/admin/outbox/2147483647").status_code == 404


def test_outbox_bodies_are_escaped(client: TestClient, session: Session, admin: User) -> None:
    session.add(
        MailMessage(recipient="x@example.org", subject="<b>hi</b>", body="<script>x()</script>",
                    status=MailStatus.outbox)
    )  # fmt: skip
    session.commit()
    record = session.exec(select(MailMessage).order_by(MailMessage.id.desc())).first()
    login(client, admin)
    page = client.get(f"/admin/outbox/{record.id}").text
    assert "<script>x()</script>" not in page and "&lt;script&gt;" in page


def test_production_with_smtp_needs_a_public_url() -> None:
    with pytest.raises(ValueError, match="LEADWORKS_PUBLIC_URL"):
        Settings(env=Environment.production, secret_key=TEST_SECRET, smtp_host="mail.example.org")
    ok = Settings(
        env=Environment.production,
        secret_key=TEST_SECRET,
        smtp_host="mail.example.org",
        public_url="https://academy.example.org/",
    )
    assert ok.public_url == "https://academy.example.org" and ok.sends_mail
