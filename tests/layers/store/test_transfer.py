"""Whole-store copies, backups and restores, verified by row counts and checksums."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import tomllib
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from layers.access import audit
from layers.access.backup_key import BACKUP_KEY
from layers.access.principal import Principal
from layers.messages import render
from layers.schema import PINS, SESSIONS
from layers.store import Store, geopackage, open_store
from layers.store.transfer import layer_checksum, read_manifest, store_manifest
from scripts.mapa import main
from tests.layers.store.sample import frames


def _mapa(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    """Run ``mapa … --json``: exit status, the JSON result (or {}) and stderr."""
    status = main([*argv, "--json"])
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    return status, (json.loads(lines[-1]) if status == 0 else {}), err


def test_checksum_ignores_row_order_and_dtype_but_sees_every_change() -> None:
    services = frames()["services"]
    assert isinstance(services, gpd.GeoDataFrame)
    base = layer_checksum(services)
    assert layer_checksum(services.iloc[::-1]) == base
    assert layer_checksum(services[["name", "town_id", "service_id", "service_type",
                                    "synthetic", "geometry"]]) == base
    table = frames()["crime_stats"]
    assert layer_checksum(table.astype({"year": "float64"})) == layer_checksum(table)
    moved = services.set_geometry([Point(13.6012346, 50.6054321), Point(12.5, 50.3)],
                                  crs="EPSG:4326")
    renamed = services.assign(name=["Klub", "Škola R"])
    doubled = pd.concat([services, services.iloc[:1]])
    swapped = services.assign(town_id=["b", "a"])
    checksums = {layer_checksum(f) for f in (moved, renamed, doubled, swapped)}
    assert base not in checksums and len(checksums) == 4
    missing = pd.Series([None, "Škola Ř"], index=services.index, dtype=object)
    assert layer_checksum(services.assign(name=missing)) != \
        layer_checksum(services.assign(name=missing.fillna("")))


def test_migrate_round_trip_gpkg_postgis_gpkg(demo_store: Store, demo_store_path: Path,
                                              pg_url: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    expected = store_manifest(demo_store)
    status, result, _ = _mapa(capsys, "migrate", "--from", str(demo_store_path), "--to", pg_url)
    assert status == 0 and result["verified"] is True
    assert result["layers"] == {name: e["rows"] for name, e in expected.items()}
    assert result["checksums"] == {name: e["checksum"] for name, e in expected.items()}
    back = tmp_path / "back.gpkg"
    status, result, _ = _mapa(capsys, "migrate", "--from", pg_url, "--to", str(back))
    assert status == 0 and result["verified"] is True
    assert store_manifest(open_store(back)) == expected
    assert open_store(back).check() == []
    # --store takes the URL like any path
    status, result, _ = _mapa(capsys, "info", "--store", pg_url)
    assert status == 0 and result["layers"]["pins"] == expected["pins"]["rows"]
    # an existing store is not overwritten by accident
    status, _, err = _mapa(capsys, "migrate", "--from", str(back), "--to", pg_url)
    assert status == 1 and "--force" in err
    status, result, _ = _mapa(capsys, "migrate", "--to", pg_url)
    assert status == 0 and result["migrated"] is True


@pytest.fixture(params=["gpkg", "postgis"])
def filled(request: pytest.FixtureRequest, demo_store_path: Path, tmp_path: Path) -> str:
    """A copy of the demo store in each backend; returns its location."""
    if request.param == "gpkg":
        path = tmp_path / "s.gpkg"
        shutil.copy(demo_store_path, path)
        return str(path)
    return str(request.getfixturevalue("demo_pg_url"))


def test_backup_and_restore(filled: str, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(filled)
    expected = store_manifest(store)
    out = tmp_path / "backup.gpkg"
    secrets = ["--secrets", str(tmp_path / ".streamlit" / "secrets.toml")]
    status, result, _ = _mapa(capsys, "backup", "--store", filled, "--out", str(out), *secrets)
    assert status == 0 and result["verified"] is True and result["signed"] is True
    assert read_manifest(out) == expected
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup")] == []

    store.delete_rows(PINS, "status", ["pending", "approved"])
    store.append("pins_extra", gpd.GeoDataFrame({"n": [1]}, geometry=[Point(13.6, 50.6)],
                                                crs="EPSG:4326"))
    assert store_manifest(store) != expected
    status, result, _ = _mapa(capsys, "restore", "--store", filled, "--from", str(out),
                              *secrets)
    assert status == 0 and result["verified"] is True
    assert store_manifest(store) == expected and store.check() == []

    # a damaged backup is refused before the store is touched
    store.delete_rows(SESSIONS, "session_id", [str(store.read(SESSIONS)["session_id"][0])])
    before = store.version(), store_manifest(store)
    db = sqlite3.connect(out)
    geopackage._register_gpkg_functions(db)  # the R-tree triggers call ST_* functions
    with db:
        db.execute("UPDATE pins SET category = 'dogs' WHERE fid = (SELECT min(fid) FROM pins "
                   "WHERE category != 'dogs')")
    db.close()
    status, _, err = _mapa(capsys, "restore", "--store", filled, "--from", str(out), *secrets)
    assert status == 1 and "damaged" in err and "'pins'" in err
    assert (store.version(), store_manifest(store)) == before
    status, _, err = _mapa(capsys, "restore", "--store", filled, "--from", str(tmp_path / "x"),
                           *secrets)
    assert status == 1 and "does not exist" in err


def _error(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, str]:
    """Run a ``mapa … --json`` that must fail: its error code and its one-line reason."""
    assert main([*argv, "--json"]) == 1
    out, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1
    return json.loads(out.strip().splitlines()[-1])["error"]["code"], err


def _edit_backup(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path)
    geopackage._register_gpkg_functions(db)  # the R-tree triggers call ST_* functions
    with db:
        for statement in statements:
            db.execute(statement)
    db.close()


def test_backups_are_signed_and_a_rewritten_manifest_is_refused(
        filled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(filled)
    secrets_file = tmp_path / ".streamlit" / "secrets.toml"
    secrets = ["--secrets", str(secrets_file)]
    out = tmp_path / "backup.gpkg"
    assert main(["backup", "--store", filled, "--out", str(out), *secrets]) == 0
    said = capsys.readouterr().out
    # no key anywhere: the backup made one, private, and said where
    key = str(tomllib.loads(secrets_file.read_text(encoding="utf-8"))[BACKUP_KEY])
    assert len(key) >= 32 and stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert f"created the backup key {BACKUP_KEY} in {secrets_file}" in said and key not in said
    status, result, _ = _mapa(capsys, "backup", "--store", filled, "--out", str(out), *secrets)
    assert (result["key_source"], result["key_created"]) == ("secrets file", False)
    before = store.version(), store_manifest(store)

    # a pin edited AND its layer's checksum rewritten to match: the signature tells
    tampered = tmp_path / "tampered.gpkg"
    shutil.copy(out, tampered)
    _edit_backup(tampered, "UPDATE pins SET category = 'dogs' WHERE fid = (SELECT min(fid) "
                 "FROM pins WHERE category != 'dogs')")
    forged = layer_checksum(open_store(tampered).read("pins"))
    _edit_backup(tampered, f"UPDATE mapa_backup_manifest SET checksum = '{forged}' "
                 "WHERE layer = 'pins'")
    code, err = _error(capsys, "restore", "--store", filled, "--from", str(tampered), *secrets)
    assert code == "backup.bad_signature" and "changed after it was signed" in err
    # without its signature it is refused as unsigned
    _edit_backup(tampered, "DROP TABLE mapa_backup_signature")
    code, _ = _error(capsys, "restore", "--store", filled, "--from", str(tampered), *secrets)
    assert code == "backup.unsigned"
    # the environment's key wins over the file's: another key cannot restore it
    monkeypatch.setenv(BACKUP_KEY, "x" * 40)
    code, err = _error(capsys, "restore", "--store", filled, "--from", str(out), *secrets)
    assert code == "backup.other_key" and "another key" in err
    monkeypatch.setenv(BACKUP_KEY, "short")
    assert _error(capsys, "restore", "--store", filled, "--from", str(out),
                  *secrets)[0] == "backup.short_key"
    monkeypatch.delenv(BACKUP_KEY)
    # a restore never makes a key
    code, _ = _error(capsys, "restore", "--store", filled, "--from", str(out),
                     "--secrets", str(tmp_path / "none.toml"))
    assert code == "backup.no_key" and not (tmp_path / "none.toml").exists()
    assert (store.version(), store_manifest(store)) == before
    # in Czech too
    assert "podpis zálohy" in render("backup.bad_signature", {"path": out}, "cs")
    status, result, _ = _mapa(capsys, "restore", "--store", filled, "--from", str(out), *secrets)
    assert status == 0 and result["signed"] is True


def test_a_restore_that_would_drop_audit_entries_needs_force_and_is_audited(
        filled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(filled)
    secrets = ["--secrets", str(tmp_path / "secrets.toml")]
    audit.record(store, Principal("boss", "admin"), "before_backup", "pins")
    out = tmp_path / "backup.gpkg"
    assert main(["backup", "--store", filled, "--out", str(out), *secrets]) == 0
    capsys.readouterr()
    # restoring the same state again drops nothing
    status, result, _ = _mapa(capsys, "restore", "--store", filled, "--from", str(out), *secrets)
    assert status == 0 and result["audit_entries_dropped"] == 0
    # entries written after the backup
    audit.record(store, Principal("boss", "admin"), "after_backup", "pins")
    audit.record(store, Principal("pol", "police"), "view_exact_pins", "pins", ["s1"])
    before = store.version(), store_manifest(store)
    code, err = _error(capsys, "restore", "--store", filled, "--from", str(out), *secrets)
    assert code == "backup.rolls_back_audit" and "drop 2 audit entries" in err
    assert (store.version(), store_manifest(store)) == before
    status, result, _ = _mapa(capsys, "restore", "--store", filled, "--from", str(out),
                              "--force", *secrets)
    assert status == 0 and result["audit_entries_dropped"] == 2
    log = audit.stored_log(store)
    assert list(log["action"]) == ["before_backup", "restore_forced"]
    forced = log.iloc[-1]
    assert forced["role"] == "admin" and str(forced["username"]).startswith("cli:")
    assert json.loads(str(forced["detail"])) == {"backup": "backup.gpkg", "entries_dropped": 2}
    assert store_manifest(store) == {name: {"rows": result["layers"][name],
                                            "checksum": result["checksums"][name]}
                                     for name in result["layers"]}
    assert _mapa(capsys, "audit", "verify", "--store", filled)[1]["verified"] is True
