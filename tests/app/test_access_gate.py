"""The login gate in AppTest: the navigation offers each role its pages, pages check again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.navigation import page_script
from app.ui.access import PRINCIPAL_KEY
from app.ui.i18n import translate
from layers.access.audit import read_log
from layers.access.principal import Principal
from layers.access.throttle import PAIR_FREE
from layers.store import open_store
from tests.app.access_support import PASSWORD, USERS, add_accounts, login_as

APP = Path(__file__).resolve().parents[2] / "app"
MAIN = str(APP / "main.py")
PUBLIC_PAGES = {"map", "hotspots", "catalogue"}
#: Pages each role is offered beyond the public ones (helpers add more pages in parallel;
#: these are the ones this gate was written with).
OFFERED = {
    "facilitator": {"sessions", "capture"},
    "moderator": {"moderation"},
    "police": set(),
    "urbanist": set(),
    "strategy_coordinator": {"area"},
    "admin": {"sessions", "capture", "moderation", "area", "admin"},
}
GATED = {"sessions", "capture", "moderation", "area", "admin"}


@pytest.fixture
def store_path(tmp_path: Path, demo_store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    monkeypatch.setenv("MAPA_STORE", str(path))
    for name in ("MAPA_ADMIN_USER", "MAPA_ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return path


def _app() -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.session_state["town_id"] = "kraslice"
    return at


REFUSALS = {translate(key, "cs") for key in ("access.denied", "access.login_first")}


def _opens(at: AppTest, page: str) -> bool:
    """True when ``page`` (every page has its URL, for bookmarks) runs past its gate."""
    at.switch_page(page_script(page))
    at.run()
    assert not at.exception, at.exception
    return not REFUSALS & {e.value for e in at.error}


def test_the_public_is_offered_only_public_pages(store_path: Path) -> None:
    at = _app().run()
    assert not at.exception
    for page in GATED:
        assert not _opens(at, page), page
        # a bookmark of a staff page asks the public to log in, in Czech
        assert [e.value for e in at.error] == [translate("access.login_first", "cs")]
    assert _opens(at, "hotspots")
    assert at.text_input(key="login_username") is not None


@pytest.mark.parametrize("role", list(OFFERED))
def test_each_role_is_offered_its_pages(store_path: Path, role: str) -> None:
    for page in sorted(GATED):
        at = login_as(_app(), store_path, role).run()
        assert not at.exception, at.exception
        assert _opens(at, page) == (page in OFFERED[role]), (role, page)
        if page in OFFERED[role]:
            assert not at.error, (role, page, [e.value for e in at.error])


@pytest.mark.parametrize("page", sorted(GATED))
def test_a_page_run_directly_refuses_the_public(store_path: Path, page: str) -> None:
    """Without the navigation (a direct URL), a gated page checks the principal itself."""
    at = AppTest.from_file(str(APP / page_script(page)), default_timeout=30)
    at.session_state["town_id"] = "kraslice"
    at.run()
    assert [e.value for e in at.error] == [translate("access.login_first", "cs")]
    assert not at.title


def test_login_logout_and_failed_login(store_path: Path) -> None:
    add_accounts(store_path, "moderator")
    username = USERS["moderator"][0]
    at = _app().run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input("wrong password!")
    next(b for b in at.button if b.label == translate("access.submit", "cs")).click().run()
    assert [e.value for e in at.error] == [translate("access.failed", "cs")]
    assert PRINCIPAL_KEY not in at.session_state

    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(PASSWORD)
    next(b for b in at.button if b.label == translate("access.submit", "cs")).click().run()
    assert not at.exception, at.exception
    assert at.session_state[PRINCIPAL_KEY] == Principal(username, "moderator")
    assert _opens(at, "moderation")
    assert list(read_log(open_store(store_path))["action"])[-3:-1] == ["login_failed", "login"]

    at.button(key="logout").click().run()
    assert PRINCIPAL_KEY not in at.session_state
    assert not _opens(at, "moderation")


def test_a_disabled_account_is_logged_out(store_path: Path) -> None:
    at = login_as(_app(), store_path, "police").run()
    assert at.session_state[PRINCIPAL_KEY].role == "police"
    from layers.access.accounts import disable_user
    disable_user(open_store(store_path), Principal("boss", "admin"), USERS["police"][0])
    at.run()
    assert PRINCIPAL_KEY not in at.session_state


def test_first_admin_from_the_environment(store_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPA_ADMIN_USER", "prvni")
    monkeypatch.setenv("MAPA_ADMIN_PASSWORD", PASSWORD)
    at = _app().run()
    assert not at.exception
    users = open_store(store_path).read("accounts")
    assert list(users["username"]) == ["prvni"] and list(users["role"]) == ["admin"]
    assert PASSWORD not in users.to_csv()


def test_admin_page_creates_accounts_and_shows_the_audit(store_path: Path) -> None:
    at = login_as(_app(), store_path, "admin").run()
    assert _opens(at, "admin")
    at.text_input(key="admin_username").input("novy")
    at.text_input(key="admin_password").input(PASSWORD)
    at.selectbox(key="admin_role").set_value("urbanist")
    next(b for b in at.button if b.label == translate("admin.create", "cs")).click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == translate("admin.created", "cs", user="novy")
    users = open_store(store_path).read("accounts")
    assert "novy" in set(users["username"])
    log = at.dataframe[-1].value
    assert "create_account" in set(log[translate("admin.col.action", "cs")])
    # columns are labelled, times are Prague time in Czech format, never UTC ISO strings
    assert "at" not in log.columns and not log[translate("admin.col.at", "cs")].str.contains(
        "T").any()


def _submit(at: AppTest, username: str, password: str) -> None:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    next(b for b in at.button if b.label == translate("access.submit", "cs")).click().run()
    assert not at.exception, at.exception


def test_repeated_failed_logins_make_this_client_wait_with_a_message(store_path: Path) -> None:
    add_accounts(store_path, "police")
    username = USERS["police"][0]
    at = _app().run()
    for _ in range(PAIR_FREE):
        _submit(at, username, "wrong password!")
    _submit(at, username, PASSWORD)
    # even the right password is refused now, with the wait's own message (30 s: 1 min)
    assert [e.value for e in at.error] == [translate("access.throttled", "cs", minutes=1)]
    assert PRINCIPAL_KEY not in at.session_state
    # the refusal wrote nothing: the last entry is the last failure
    assert list(read_log(open_store(store_path))["action"])[-1] == "login_failed"


def test_the_admin_page_unlocks_an_account(store_path: Path) -> None:
    add_accounts(store_path, "police")
    username = USERS["police"][0]
    visitor = _app().run()
    for _ in range(PAIR_FREE):
        _submit(visitor, username, "wrong password!")
    _submit(visitor, username, PASSWORD)
    assert PRINCIPAL_KEY not in visitor.session_state  # made to wait

    admin = login_as(_app(), store_path, "admin").run()
    assert _opens(admin, "admin")
    account = translate("admin.logins.account", "cs")
    logins = next(d.value for d in admin.dataframe if account in d.value.columns)
    row = logins[logins[account] == username]
    assert row[translate("admin.logins.failures", "cs")].tolist() == [PAIR_FREE]
    assert admin.selectbox(key="admin_unlock_user").value == username  # offered first
    admin.button(key="admin_unlock").click().run()
    assert not admin.exception, admin.exception
    assert admin.success[0].value == translate("admin.unlocked", "cs", user=username,
                                               count=PAIR_FREE)
    assert [i.value for i in admin.info] == [translate("admin.logins.none", "cs")]
    assert "unlock_account" in set(read_log(open_store(store_path))["action"])

    _submit(visitor, username, PASSWORD)
    assert visitor.session_state[PRINCIPAL_KEY] == Principal(username, "police")


def test_the_admin_changes_a_role_and_a_temporary_password_must_be_changed(
        store_path: Path) -> None:
    add_accounts(store_path, "police")
    username = USERS["police"][0]
    at = login_as(_app(), store_path, "admin").run()
    assert _opens(at, "admin")
    at.selectbox(key="admin_role_user").set_value(username)
    at.selectbox(key="admin_role_new").set_value("urbanist")
    next(b for b in at.button
         if b.label == translate("admin.change_role_button", "cs")).click().run()
    assert not at.exception, at.exception
    store = open_store(store_path)
    users = store.read("accounts").set_index("username")
    assert users.loc[username, "role"] == "urbanist"
    assert "change_role" in set(read_log(store)["action"])

    # someone with a temporary password sees only the form to set their own
    from layers.access.accounts import reset_password
    temporary = reset_password(store, Principal("boss", "admin"), username)
    user = _app().run()
    _submit(user, username, temporary)
    assert [w.value for w in user.warning] == [translate("access.password.temporary", "cs")]
    assert not user.title
    user.text_input(key="password_required_current").input(temporary)
    user.text_input(key="password_required_new").input(PASSWORD + "-own")
    user.text_input(key="password_required_again").input(PASSWORD + "-own")
    next(b for b in user.button
         if b.label == translate("access.password.submit", "cs")).click().run()
    assert not user.exception, user.exception
    assert not user.warning and user.title  # the page itself now
    assert user.session_state[PRINCIPAL_KEY] == Principal(username, "urbanist")
