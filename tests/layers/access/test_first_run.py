"""The first admin of a fresh clone: generated into a private secrets file, or configured."""

from __future__ import annotations

import shutil
import stat
import tomllib
from pathlib import Path

import pytest

from layers.access import accounts, audit, sessions
from layers.access.first_run import ADMIN_PASSWORD, ADMIN_USER, ensure_first_admin
from layers.access.principal import Principal
from layers.store import Store, open_store
from scripts.mapa import main

PASSWORD = "correct horse battery"


def _fresh(demo_store_path: Path, to: Path) -> Store:
    shutil.copy(demo_store_path, to)
    return open_store(to)


@pytest.fixture
def store(tmp_path: Path, demo_store_path: Path) -> Store:
    return _fresh(demo_store_path, tmp_path / "s.gpkg")


def _read(path: Path) -> dict[str, object]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_a_fresh_store_gets_a_generated_admin_in_a_private_secrets_file(
        store: Store, tmp_path: Path, demo_store_path: Path) -> None:
    secrets_file = tmp_path / ".streamlit" / "secrets.toml"
    done = ensure_first_admin(store, secrets_file, environ={})
    assert (done.outcome, done.username) == ("generated", "admin")
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    written = _read(secrets_file)
    password = str(written[ADMIN_PASSWORD])
    assert written[ADMIN_USER] == "admin" and len(password) >= 20
    assert accounts.authenticate(store, "admin", password) == Principal("admin", "admin")
    assert password not in audit.read_log(store).to_csv()
    # the next ./scripts/run changes nothing
    assert ensure_first_admin(store, secrets_file, environ={}).outcome == "existing"
    assert _read(secrets_file) == written
    # another fresh deployment gets another password
    other = tmp_path / "other.toml"
    ensure_first_admin(_fresh(demo_store_path, tmp_path / "o.gpkg"), other, environ={})
    assert _read(other)[ADMIN_PASSWORD] != password


def test_an_existing_secrets_file_is_kept_and_made_private(store: Store,
                                                           tmp_path: Path) -> None:
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('OTHER_SETTING = "keep me"', encoding="utf-8")  # no final newline
    secrets_file.chmod(0o644)
    assert ensure_first_admin(store, secrets_file, environ={}).outcome == "generated"
    written = _read(secrets_file)
    assert written["OTHER_SETTING"] == "keep me" and written[ADMIN_USER] == "admin"
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600


@pytest.mark.parametrize("source", ["environment", "secrets file"])
def test_configured_credentials_are_used_and_nothing_is_generated(
        store: Store, tmp_path: Path, source: str) -> None:
    secrets_file = tmp_path / "secrets.toml"
    settings = {ADMIN_USER: "spravce", ADMIN_PASSWORD: PASSWORD}
    environ: dict[str, str] = {}
    if source == "environment":
        environ = settings
    else:
        secrets_file.write_text("".join(f'{k} = "{v}"\n' for k, v in settings.items()),
                                encoding="utf-8")
    before = secrets_file.read_text(encoding="utf-8") if secrets_file.exists() else None
    done = ensure_first_admin(store, secrets_file, environ=environ)
    assert (done.outcome, done.username) == ("configured", "spravce")
    assert (secrets_file.read_text(encoding="utf-8") if secrets_file.exists() else None) \
        == before
    assert accounts.authenticate(store, "spravce", PASSWORD) == Principal("spravce", "admin")


def test_an_active_admin_means_nothing_is_written(store: Store, tmp_path: Path) -> None:
    accounts.bootstrap_admin(store, "boss", PASSWORD)
    secrets_file = tmp_path / "secrets.toml"
    assert ensure_first_admin(store, secrets_file, environ={}).outcome == "existing"
    assert not secrets_file.exists()


@pytest.mark.parametrize("content", [f'{ADMIN_USER} = "admin"\n', "not = [toml\n"])
def test_a_half_or_broken_secrets_file_is_refused(store: Store, tmp_path: Path,
                                                  content: str) -> None:
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=r"secrets\.toml"):
        ensure_first_admin(store, secrets_file, environ={})
    assert secrets_file.read_text(encoding="utf-8") == content
    assert not accounts.has_active_admin(store)


def test_the_command_says_where_the_password_is_and_never_prints_it(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name in (ADMIN_USER, ADMIN_PASSWORD):
        monkeypatch.delenv(name, raising=False)
    secrets_file = tmp_path / "s" / "secrets.toml"
    where = ["--store", store.location, "--secrets", str(secrets_file)]
    assert main(["first-admin", *where]) == 0
    out = capsys.readouterr().out
    password = str(_read(secrets_file)[ADMIN_PASSWORD])
    assert str(secrets_file) in out and "'admin'" in out and password not in out
    # and a key to sign login cookies, written beside it, never printed
    key = str(_read(secrets_file)[sessions.SESSION_KEY])
    assert len(key) >= sessions.MIN_KEY_CHARS and key not in out
    assert sessions.SESSION_KEY in out
    assert main(["first-admin", *where]) == 0
    assert capsys.readouterr().out == ""  # printed once only
