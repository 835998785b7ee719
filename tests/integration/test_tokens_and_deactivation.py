"""API tokens listed and revoked by their owner and by admins; deactivating an account
ends its sessions and tokens at once; the CLI does the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from leadworks.accounts.models import ApiToken, User
from leadworks.cli import app as cli
from tests.conftest import PASSWORD, bearer, csrf_from, login

runner = CliRunner()


def _tokens(session: Session, user: User) -> int:
    query = select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)
    return session.exec(query).one()


def test_owner_lists_and_revokes_tokens_through_the_api(client: TestClient, learner: User) -> None:
    first = bearer(client, learner)
    second = bearer(client, learner)
    listed = client.get("/api/v1/auth/tokens", headers=second).json()
    assert len(listed) == 2
    assert [t["current"] for t in listed] == [True, False]  # newest first, the one in use marked
    assert "token_hash" not in listed[0]
    old_id = listed[1]["id"]
    assert client.delete(f"/api/v1/auth/tokens/{old_id}", headers=second).status_code == 204
    assert client.get("/api/v1/me", headers=first).status_code == 401
    assert client.get("/api/v1/me", headers=second).status_code == 200
    again = client.delete(f"/api/v1/auth/tokens/{old_id}", headers=second)
    assert again.status_code == 404


def test_nobody_revokes_someone_elses_token_through_the_api(
    client: TestClient, session: Session, learner: User, other_learner: User
) -> None:
    mine = bearer(client, learner)
    theirs = bearer(client, other_learner)
    their_id = client.get("/api/v1/auth/tokens", headers=theirs).json()[0]["id"]
    assert client.delete(f"/api/v1/auth/tokens/{their_id}", headers=mine).status_code == 404
    assert client.get("/api/v1/me", headers=theirs).status_code == 200
    assert client.delete("/api/v1/auth/tokens/99999999999", headers=mine).status_code == 422


def test_api_logout_revokes_the_token_used(
    client: TestClient, session: Session, counselor: User
) -> None:
    used = bearer(client, counselor)
    other = bearer(client, counselor)
    assert client.post("/api/v1/auth/logout", headers=used).status_code == 204
    gone = client.get("/api/v1/me", headers=used)
    assert gone.status_code == 401 and "revoked" in gone.json()["detail"]
    assert client.get("/api/v1/me", headers=other).status_code == 200
    assert _tokens(session, counselor) == 1


def test_account_page_lists_and_revokes_tokens(
    client: TestClient, session: Session, learner: User
) -> None:
    api_headers = bearer(client, learner)
    token = login(client, learner)
    page = client.get("/account")
    assert page.status_code == 200
    hint = api_headers["Authorization"].split()[1][:6]
    assert hint in page.text
    token_id = session.exec(select(ApiToken.id).where(ApiToken.user_id == learner.id)).one()
    response = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/api/v1/me", headers=api_headers).status_code == 401
    assert "no live API tokens" in client.get("/account").text


def test_admin_sees_and_revokes_a_users_tokens(
    client: TestClient, session: Session, admin: User, learner: User
) -> None:
    api_headers = bearer(client, learner)
    token = login(client, admin)
    users = client.get("/admin/users").text
    assert f'href="/admin/users/{learner.id}"' in users
    detail = client.get(f"/admin/users/{learner.id}")
    assert api_headers["Authorization"].split()[1][:6] in detail.text
    token_id = session.exec(select(ApiToken.id).where(ApiToken.user_id == learner.id)).one()
    wrong_owner = client.post(
        f"/admin/users/{admin.id}/tokens/{token_id}/revoke", data={"csrf_token": token}
    )
    assert wrong_owner.status_code == 404
    response = client.post(
        f"/admin/users/{learner.id}/tokens/{token_id}/revoke", data={"csrf_token": token}
    )
    assert response.status_code == 303
    assert client.get("/api/v1/me", headers=api_headers).status_code == 401


def test_deactivation_ends_sessions_and_tokens_at_once(
    app, session: Session, admin: User, learner: User
) -> None:
    with (
        TestClient(app, follow_redirects=False) as learner_browser,
        TestClient(app, follow_redirects=False) as admin_browser,
    ):
        login(learner_browser, learner)
        api_headers = bearer(learner_browser, learner)
        token = login(admin_browser, admin)
        response = admin_browser.post(
            f"/admin/users/{learner.id}/deactivate", data={"csrf_token": token}
        )
        assert response.status_code == 303
        assert learner_browser.get("/me/progress").status_code == 303
        assert learner_browser.get("/api/v1/me", headers=api_headers).status_code == 401
        assert _tokens(session, learner) == 0
        csrf = csrf_from(learner_browser.get("/login").text)
        again = learner_browser.post(
            "/login", data={"email": learner.email, "password": PASSWORD, "csrf_token": csrf}
        )
        assert again.status_code == 403 and "deactivated" in again.text
        wrong = learner_browser.post(
            "/login",
            data={"email": learner.email, "password": "wrong-password", "csrf_token": csrf},
        )
        assert (
            wrong.status_code == 400 and "deactivated" not in wrong.text
        )  # no hint without the password
        admin_browser.post(f"/admin/users/{learner.id}/reactivate", data={"csrf_token": token})
        assert learner_browser.get("/me/progress").status_code == 303  # old sessions stay ended
        login(learner_browser, learner)
        assert learner_browser.get("/me/progress").status_code == 200


def test_admins_cannot_deactivate_themselves_or_the_last_admin(
    client: TestClient, session: Session, admin: User
) -> None:
    token = login(client, admin)
    response = client.post(f"/admin/users/{admin.id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 409
    assert "your own account" in response.text
    session.refresh(admin)
    assert admin.is_active
    assert (
        client.post("/admin/users/2147483647/deactivate", data={"csrf_token": token}).status_code
        == 404
    )
    assert client.post("/admin/users/0/deactivate", data={"csrf_token": token}).status_code == 400


def test_cli_deactivates_and_reactivates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADWORKS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LEADWORKS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("LEADWORKS_ENV", raising=False)
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    created = runner.invoke(
        cli,
        [
            "users",
            "create",
            "--email",
            "coach@example.org",
            "--name",
            "Coach",
            "--role",
            "counselor",
            "--password",
            "a-long-passphrase",
            "--temporary",
        ],
    )
    assert created.exit_code == 0
    assert "new password at first login" in " ".join(created.output.split())
    off = runner.invoke(cli, ["users", "deactivate", "--email", "COACH@example.org"])
    assert off.exit_code == 0 and "deactivated" in off.output
    on = runner.invoke(cli, ["users", "reactivate", "--email", "coach@example.org"])
    assert on.exit_code == 0 and "can log in again" in on.output
    missing = runner.invoke(cli, ["users", "deactivate", "--email", "nobody@example.org"])
    assert missing.exit_code == 2 and "No account uses" in missing.output


def test_cli_refuses_to_deactivate_the_last_admin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEADWORKS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LEADWORKS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("LEADWORKS_ENV", raising=False)
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    args = ["users", "create", "--email", "boss@example.org", "--name", "Boss", "--role",
            "admin", "--password", "a-long-passphrase"]  # fmt: skip
    assert runner.invoke(cli, args).exit_code == 0
    refused = runner.invoke(cli, ["users", "deactivate", "--email", "boss@example.org"])
    assert refused.exit_code == 2 and "last active admin" in " ".join(refused.output.split())
