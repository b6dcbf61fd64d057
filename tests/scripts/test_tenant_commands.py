"""Every ``mapa`` command that reads or writes a town's data, run ``--as`` an admin of
Litvínov on each backend: refused for Kraslice (exit 1, a JSON error object) and allowed for
Litvínov.

The admin role has every right, so what refuses is the town alone. A command added later that
reaches towns' data must join :data:`COMMANDS` (or :data:`FILTERED`): the first test fails
until it does.
"""

from __future__ import annotations

import argparse
import json
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from layers.access import accounts
from layers.access.principal import Principal
from layers.ingest.batches import run_import
from layers.schema import ADDRESS_POINTS
from layers.sources.real import SOURCES_DIR
from layers.store import Store, open_store
from layers.store.base import RowMatch
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools
from layers.store.transfer import copy_store
from scripts.commands.common import NAMED_TOWN, OWN_CHECK, WHOLE_STORE
from scripts.mapa import build_parser, main
from tests.layers.access.conftest import PASSWORD
from tests.police_export import write_export

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INGEST = FIXTURES / "ingest"
ACTOR = "l-admin"
OPERATOR = Principal("cli:test", "admin")


@dataclass(frozen=True)
class Town:
    """What a command names of one town: the town, one of its sessions and import batches,
    an account of it, its region, and a folder for output files."""

    town: str
    session: str
    batch: str
    account: str
    region: str
    out: Path


Argv = Callable[[Town], list[str]]


def _import(kind: str, file: Path, *extra: str) -> Argv:
    return lambda t: ["import", kind, str(file), "--town", t.town, "--dry-run", *extra]


#: Command (its words) → its arguments for a town.
COMMANDS: dict[tuple[str, ...], Argv] = {
    ("accessibility",): lambda t: ["accessibility", "--town", t.town],
    ("analysis",): lambda t: ["analysis", "--area", t.town, "--year", "2024",
                              "--out", str(t.out / "a.docx")],
    ("batches",): lambda t: ["batches", "--town", t.town],
    ("undo",): lambda t: ["undo", t.batch],
    ("export", "pins"): lambda t: ["export", "pins", "--town", t.town, "--session", t.session,
                                   "--format", "csv", "--out", str(t.out / "p.csv")],
    ("geocode",): lambda t: ["geocode", "náměstí", "--town", t.town],
    ("hotspots",): lambda t: ["hotspots", "--town", t.town, "--out", str(t.out / "h.gpkg")],
    ("patrol",): lambda t: ["patrol", "--town", t.town, "--places", "3",
                            "--network", "straight"],
    ("import", "localities"): _import("localities", INGEST / "localities_5514_cp1250.zip"),
    ("import", "services"): _import("services", INGEST / "services_osm.geojson"),
    ("import", "police-stats"): _import("police-stats", INGEST / "police_stats.csv"),
    ("import", "offences"): _import("offences", INGEST / "offences.csv"),
    ("import", "exclusion-index"): _import("exclusion-index", INGEST / "exclusion_index.xlsx"),
    ("import", "streets"): _import("streets", FIXTURES / "streets" / "janov.osm"),
    ("import", "police-open-data"): _import(
        "police-open-data", INGEST / "police_open_data" / "2023_567256.csv"),
    ("import", "addresses"): _import(
        "addresses", SOURCES_DIR / "addresses" / "20231231_OB_567256_ADR.csv"),
    ("import", "stops"): _import("stops", SOURCES_DIR / "transit" / "stops_3_towns.csv"),
    ("import", "feeling-map"): lambda t: ["import", "feeling-map",
                                          str(FIXTURES / "pocitova_mapa_sample.csv"),
                                          "--town", t.town],
    ("import", "services-register"): lambda t: [
        "import", "services-register", str(FIXTURES / "catalogue" / "rpss_2025-01.json"),
        "--region", t.region, "--dry-run"],
    ("services", "search"): lambda t: ["services", "search", "--town", t.town],
    ("session", "link"): lambda t: ["session", "link", "--session", t.session],
    ("session", "list"): lambda t: ["session", "list", "--town", t.town],
    ("session-map",): lambda t: ["session-map", "--session", t.session,
                                 "--out", str(t.out / "m.pdf")],
    ("moderate", "list"): lambda t: ["moderate", "list", "--session", t.session],
    ("moderate", "approve"): lambda t: ["moderate", "approve", "--session", t.session],
    ("moderate", "reject"): lambda t: ["moderate", "reject", "--session", t.session,
                                       "--reason", "test"],
    ("user", "add"): lambda t: ["user", "add", "new-user", "--role", "police", "--town", t.town,
                                "--password-env", "TENANT_PW"],
    ("user", "disable"): lambda t: ["user", "disable", t.account],
    ("user", "passwd"): lambda t: ["user", "passwd", t.account, "--password-env", "TENANT_PW"],
    ("user", "unlock"): lambda t: ["user", "unlock", t.account],
    ("user", "reset"): lambda t: ["user", "reset", t.account],
    ("user", "role"): lambda t: ["user", "role", t.account, "moderator"],
    ("user", "towns"): lambda t: ["user", "towns", t.account, "--town", t.town],
}
#: Commands that read towns' data without naming a town: they keep to the account's towns
#: (tested below), so there is nothing to refuse.
FILTERED: frozenset[tuple[str, ...]] = frozenset({
    ("user", "list"), ("audit",), ("retention",)})


def _leaves(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
            ) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not actions:
        yield words, parser
    for action in actions:
        for name, child in action.choices.items():
            yield from _leaves(child, (*words, name))


def test_every_command_reaching_towns_is_in_the_table() -> None:
    tenancy = {words: leaf.get_default("tenancy") for words, leaf in _leaves(build_parser())}
    assert set(tenancy.values()) == {NAMED_TOWN, OWN_CHECK, WHOLE_STORE}
    town_commands = {words for words, kind in tenancy.items() if kind != WHOLE_STORE}
    assert town_commands == set(COMMANDS) | FILTERED


@pytest.fixture(scope="module")
def prepared(demo_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with an admin of Litvínov, an account of each town and an import batch
    of each town."""
    path = tmp_path_factory.mktemp("tenants") / "s.gpkg"
    shutil.copy(demo_store_path, path)
    store = open_store(path)
    for username, role, town in [(ACTOR, "admin", "litvinov"),
                                 ("l-pol", "police", "litvinov"),
                                 ("k-pol", "police", "kraslice")]:
        accounts.create_user(store, OPERATOR, username, PASSWORD, role,
                             scope=accounts.resolve_scope(store, [town]))
    # a batch per town: the stops of a feed serving all three (a zip: the table's own
    # ``import stops`` brings the same stops as another file)
    feed = path.parent / "gtfs.zip"
    with zipfile.ZipFile(feed, "w") as archive:
        archive.write(SOURCES_DIR / "transit" / "stops_3_towns.csv", "stops.txt")
    assert main(["import", "stops", str(feed), "--store", str(path)]) == 0
    # offences of Litvínov for its yearly analysis
    for export in write_export(path.parent / "export", store, "litvinov"):
        run_import(store, "police-open-data", export, town_id="litvinov")
    # Litvínov's address points go, so that the table's ``import addresses`` brings them
    store.delete_matching([RowMatch(ADDRESS_POINTS.name, equals={"town_id": "litvinov"})])
    return path


@pytest.fixture(scope="module")
def prepared_pg(prepared: Path, pg_cluster: TemporaryCluster) -> str:
    """The name of a PostGIS database holding a copy of :func:`prepared`, a template for
    each test's own database."""
    name = f"tenants_{uuid.uuid4().hex[:8]}"
    url = pg_cluster.new_database(name)
    copy_store(open_store(prepared), open_store(url))
    close_pools(url)  # a template is copied only without open connections
    return name


@pytest.fixture(params=["gpkg", "postgis"])
def own_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """This test's own copy of the prepared store on each backend (a path or a URL)."""
    if request.param == "gpkg":
        path = tmp_path / "s.gpkg"
        shutil.copy(request.getfixturevalue("prepared"), path)
        yield str(path)
        return
    cluster: TemporaryCluster = request.getfixturevalue("pg_cluster")
    url = cluster.new_database(template=request.getfixturevalue("prepared_pg"))
    yield url
    close_pools(url)


def _towns(store: Store, out: Path) -> dict[str, Town]:
    from layers.ingest.batches import list_batches

    batches = list_batches(store)
    batch = {str(t): str(b) for t, b in zip(batches["town_id"], batches["batch_id"],
                                            strict=True)}
    return {"litvinov": Town("litvinov", "litvinov-deti-libuse", batch["litvinov"], "l-pol",
                             "CZ042", out),
            "kraslice": Town("kraslice", "kraslice-deti-nzdm", batch["kraslice"], "k-pol",
                             "CZ041", out)}


def _run(capsys: pytest.CaptureFixture[str], argv: list[str], store: Path | str
         ) -> tuple[int, dict[str, object]]:
    code = main([*argv, "--store", str(store), "--as", ACTOR, "--json"])
    lines = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(lines[-1]) if lines else {}


@pytest.mark.parametrize("words", sorted(COMMANDS), ids=" ".join)
def test_an_account_of_litvinov_is_refused_kraslice_and_allowed_litvinov(
        words: tuple[str, ...], own_store: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENANT_PW", PASSWORD)
    towns = _towns(open_store(own_store), tmp_path)
    code, result = _run(capsys, COMMANDS[words](towns["kraslice"]), own_store)
    assert code == 1
    error = result["error"]
    assert isinstance(error, dict)
    assert error["code"] in {"access.other_town", "access.other_town_account"}, error
    code, result = _run(capsys, COMMANDS[words](towns["litvinov"]), own_store)
    assert code == 0, result


def test_commands_without_a_town_keep_to_the_accounts_towns(
        own_store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = own_store
    code, listed = _run(capsys, ["user", "list"], path)
    assert code == 0 and [a["username"] for a in listed["accounts"]] == [ACTOR, "l-pol"]
    code, sessions = _run(capsys, ["session", "list"], path)
    assert code == 0 and {s["town"] for s in sessions["sessions"]} == {"litvinov"}
    assert _run(capsys, ["moderate", "approve", "--session", "litvinov-deti-libuse"],
                path)[0] == 0
    code, written = _run(capsys, ["audit", "--out", str(tmp_path / "audit.csv")], path)
    text = (tmp_path / "audit.csv").read_text(encoding="utf-8")
    assert code == 0 and "approve_pins" in text and "kraslice" not in text
    assert written["entries"] == len(text.strip().splitlines()) - 1
    assert _run(capsys, ["retention"], path)[0] == 0


@pytest.mark.parametrize("argv", [["info"], ["strategy", "show"], ["batches"],
                                  ["import", "town", "567027", "--town", "most"]],
                         ids=" ".join)
def test_whole_store_commands_and_a_missing_town_are_refused(
        argv: list[str], own_store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, result = _run(capsys, argv, own_store)
    error = result["error"]
    assert code == 1 and isinstance(error, dict)
    assert error["code"] in {"access.whole_store", "access.name_a_town"}
