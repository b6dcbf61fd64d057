"""The Admin page's tables as people read them: labelled columns, Prague times, no hashes."""

from __future__ import annotations

import pandas as pd

from app.features.admin.model import accounts_table, audit_table, logins_table, reach_text
from app.ui.i18n import translate
from layers.access.accounts import EVERY_TOWN, Scope


def test_accounts_show_names_roles_and_prague_times() -> None:
    users = pd.DataFrame({"username": ["eva"], "display_name": ["Eva"], "role": ["police"],
                          "centre": [""], "active": [True],
                          "created_at": ["2026-12-05T23:40:00+00:00"]})
    table = accounts_table(users, ["Kraslice"], "cs")
    assert list(table.columns) == [translate(f"admin.col.{c}", "cs") for c in (
        "username", "display_name", "role", "centre", "reach", "active", "created_at")]
    assert table.iloc[0].tolist() == ["eva", "Eva", "policie", "", "Kraslice", "ano",
                                      "6. 12. 2026 0:40"]
    assert accounts_table(users, ["Kraslice"], "en").iloc[0].tolist()[2:] == [
        "police", "", "Kraslice", "yes", "Dec 6, 2026, 12:40\u202fAM"]


def test_an_accounts_reach_is_named_by_its_regions_and_towns() -> None:
    towns = {"karlovy-vary": "Karlovy Vary", "kraslice": "Kraslice", "litvinov": "Litvínov"}
    regions = {"CZ041": "Karlovarský kraj", "CZ042": "Ústecký kraj"}
    assert reach_text(EVERY_TOWN, towns, regions, "cs") == "všechna města"
    assert reach_text(EVERY_TOWN, towns, regions, "en") == "every town"
    # in the order of the names given (the page passes them by name), regions first
    assert reach_text(Scope(("litvinov", "kraslice"), ("CZ041",)), towns, regions, "cs") == (
        "Karlovarský kraj, Kraslice, Litvínov")
    # a town the store no longer holds is left out, and none at all says so
    assert reach_text(Scope(("zruseno",)), towns, regions, "cs") == "žádné"


def test_audit_log_is_newest_first_without_its_chain() -> None:
    log = pd.DataFrame({"at": ["2026-07-01T08:00:00+00:00", "2026-07-02T08:00:00+00:00"],
                        "username": ["a", "b"], "role": ["admin", "moderator"],
                        "action": ["x", "y"], "layer": ["pins", "pins"],
                        "object_ids": ["[]", "[]"], "detail": ["{}", "{}"],
                        "prev_hash": ["0", "1"], "hash": ["1", "2"]})
    table = audit_table(log, "cs")
    assert table.iloc[:, 0].tolist() == ["2. 7. 2026 10:00", "1. 7. 2026 10:00"]
    assert table.iloc[:, 2].tolist() == ["moderátor", "správce"]
    assert not {"prev_hash", "hash"} & set(table.columns)


def test_failed_logins_in_prague_time_and_empty_lock_left_empty() -> None:
    failed = pd.DataFrame({"account": ["eva"], "failures": [3], "clients": [1],
                           "last_at": ["2026-12-05T10:00:00+00:00"], "locked_until": [None]})
    row = logins_table(failed, "cs").iloc[0].tolist()
    assert row == ["eva", 3, 1, "5. 12. 2026 11:00", ""]
