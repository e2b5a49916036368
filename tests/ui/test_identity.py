"""Sign-in, per-user privacy on a shared deployment, and concurrent writers."""

import datetime as dt
import threading
import time

import pytest
from clock import FROZEN_NOW
from conftest import ROOT, open_page
from streamlit.testing.v1 import AppTest

from rebound.db import Database
from rebound.identity import MAX_SIGN_IN_HOURS, auth_configured, is_hosted, sign_in_expired, user_id_from_claims
from rebound.store import Store

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-secret",
    "client_id": "rebound",
    "client_secret": "s3cret",
    "server_metadata_url": "https://id.example.com/.well-known/openid-configuration",
}
NOW = FROZEN_NOW.timestamp()  # the tests' clock (tests/clock.py)
ALICE = {
    "is_logged_in": True,
    "iat": NOW,
    "exp": NOW + 7 * 24 * 3600,  # signed in now, good for a week: these tests are not about expiry
    "iss": "https://id.example.com",
    "sub": "alice-123",
    "email": "alice@example.com",
    "name": "Alice",
}
BOB = {
    "is_logged_in": True,
    "iat": NOW,
    "exp": NOW + 7 * 24 * 3600,
    "iss": "https://id.example.com",
    "sub": "bob-456",
    "email": "bob@example.com",
    "name": "Bob",
}


@pytest.fixture
def app(monkeypatch, db_path):
    """app(user=None, page=None, secrets=None) -> a run AppTest against db_path."""
    import streamlit as st

    monkeypatch.setenv("REBOUND_DB", db_path)
    monkeypatch.chdir(ROOT)

    def _make(user=None, page=None, secrets=None):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        for key, value in (secrets or {}).items():
            at.secrets[key] = value
        if user is not None:
            at.user = user
        at.run()
        if page:
            open_page(at, page)
            at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    yield _make
    st.cache_resource.clear()
    st.cache_data.clear()
    from rebound import ui

    ui.clear_cached()


def test_user_ids_are_stable_opaque_and_distinct():
    a1, a2, b = (
        user_id_from_claims(ALICE),
        user_id_from_claims(dict(ALICE, email="new@example.com")),
        user_id_from_claims(BOB),
    )
    assert a1 == a2 != b  # the subject, not the email, is the identity
    assert "alice" not in a1 and a1.startswith("oidc-")
    assert user_id_from_claims({"email": "X@Example.com "}) == user_id_from_claims({"email": "x@example.com"})
    with pytest.raises(ValueError):
        user_id_from_claims({"name": "nobody"})


def test_auth_and_hosting_detection():
    assert auth_configured({"auth": AUTH}) and not auth_configured({}) and not auth_configured({"auth": {}})
    assert is_hosted({"REBOUND_HOSTED": "1"}, "/home/me")
    assert is_hosted({}, "/mount/src/rebound") and is_hosted({"HOSTNAME": "streamlit"}, "/app")
    assert not is_hosted({}, "/home/me/rebound")
    assert not is_hosted({"REBOUND_HOSTED": "0", "HOSTNAME": "streamlit"}, "/mount/src/x")


def test_sign_in_gates_the_app(app):
    at = app(user={"is_logged_in": False}, secrets={"auth": AUTH})
    assert [b.label for b in at.button] == ["Sign in"]
    assert "private" in at.markdown[0].value
    assert not at.subheader  # no page content behind the gate


def test_a_sign_in_ends_when_its_identity_token_does():
    now = 2_000_000_000
    assert not sign_in_expired({"exp": now + 60, "iat": now - 3600}, now)
    assert sign_in_expired({"exp": now, "iat": now - 3600}, now)
    assert sign_in_expired({"exp": "not a number", "iat": now - 25 * 3600}, now)  # then by its age
    assert not sign_in_expired({"iat": now - 23 * 3600}, now)
    assert sign_in_expired({"iat": now - MAX_SIGN_IN_HOURS * 3600}, now)
    assert sign_in_expired({"sub": "alice-123"}, now)  # no way to tell its age


def test_an_expired_sign_in_is_asked_to_sign_in_again(app):
    """Streamlit's cookie outlives the token: a copied cookie must not open the journal for 30 days."""
    expired = {**ALICE, "iat": time.time() - 7200, "exp": time.time() - 3600}
    at = app(user=expired, secrets={"auth": AUTH})
    assert [b.label for b in at.button] == ["Sign in again"] and "expired" in at.info[0].value
    assert not at.subheader  # nothing of the journal behind the gate
    fresh = app(user={**ALICE, "iat": time.time() - 60, "exp": time.time() + 3600}, secrets={"auth": AUTH})
    assert "Sign in again" not in [b.label for b in fresh.button]


def test_two_signed_in_users_never_see_each_other(app, db_path):
    at = app(user=ALICE, secrets={"auth": AUTH}, page="pages/outcomes.py")
    at.text_input(key="add_company").input("Alice's Secret Employer")
    at.text_input(key="add_role").input("Analyst")
    next(b for b in at.get("form_submit_button") if b.label == "Add application").click().run()
    assert "Alice's Secret Employer" in at.dataframe[0].value["company"].tolist()

    bob = app(user=BOB, secrets={"auth": AUTH}, page="pages/outcomes.py")
    assert not bob.dataframe, "Bob has no applications to list"
    bob_today = app(user=BOB, secrets={"auth": AUTH})
    assert any("Welcome" in s.value for s in bob_today.subheader)


def test_hosted_without_auth_never_shares_one_journal(app, db_path, monkeypatch):
    monkeypatch.setenv("REBOUND_HOSTED", "1")
    at = app()
    assert any("no sign-in set up" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Try a private demo session").click().run()
    assert not at.exception
    assert at.session_state["session_user"].startswith("session-")
    other = app()  # another browser session sees the notice, not the first one's demo
    assert any("no sign-in set up" in w.value for w in other.warning)
    import streamlit as st

    st.cache_resource.clear()
    db = Database(db_path)
    assert db.cursor().execute("SELECT count(*) FROM applications").fetchone()[0] == 0  # shared file untouched
    db.close()


def test_concurrent_sessions_of_two_users_lose_nothing(db):
    """Threads write through one Database, as Streamlit sessions do through the cached one."""
    users = ["alice", "bob"]
    per_thread, threads_per_user = 40, 4
    errors = []

    def work(user, t):
        store = Store(db, user)
        try:
            for i in range(per_thread):
                app = store.applications.add(f"{user}-co-{t}-{i}", "Analyst", "referral", dt.date(2026, 11, 2))
                store.applications.add_event(app, "screen", dt.date(2026, 11, 3))
                store.settings.set("ghost_after_days", 20 + i % 5)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(u, t)) for u in users for t in range(threads_per_user)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    for user in users:
        apps = Store(db, user).applications.all()
        assert len(apps) == per_thread * threads_per_user
        assert set(apps["status"]) == {"screen"}
        assert all(c.startswith(user) for c in apps["company"])
