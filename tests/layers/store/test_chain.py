"""Hash chains of append-only layers (``layers.store.chain``), without a store."""

from __future__ import annotations

import pandas as pd

from layers.schema import AUDIT_LOG
from layers.store import chain


def _log(n: int) -> pd.DataFrame:
    rows = [{"at": f"2026-12-0{i % 9 + 1}T10:00:00+00:00", "username": f"u{i}",
             "role": "admin", "action": f"act{i}", "layer": "", "object_ids": "[]",
             "detail": "{}", "prev_hash": None, "hash": None} for i in range(n)]
    return chain.seal(pd.DataFrame(rows, columns=list(AUDIT_LOG.columns)), AUDIT_LOG,
                      chain.GENESIS)


def test_a_sealed_log_is_whole_and_each_row_links_to_the_one_before() -> None:
    log = _log(5)
    assert chain.first_break(log, AUDIT_LOG) is None
    assert log["prev_hash"].iloc[0] == chain.GENESIS
    assert list(log["prev_hash"].iloc[1:]) == list(log["hash"].iloc[:-1])
    assert log["hash"].str.fullmatch("[0-9a-f]{64}").all() and log["hash"].is_unique
    # sealing the rest onto the first rows gives the same chain as sealing all at once
    rest = chain.seal(log.iloc[3:].assign(hash="forged"), AUDIT_LOG, chain.last_hash(log.iloc[:3]))
    assert list(rest["hash"]) == list(log["hash"].iloc[3:])
    assert chain.first_break(log.iloc[:0], AUDIT_LOG) is None


def test_an_edit_names_its_row_a_removal_or_insertion_names_the_next() -> None:
    log = _log(5)
    edited = log.copy()
    edited.loc[2, "detail"] = '{"rolled": "back"}'
    assert chain.first_break(edited, AUDIT_LOG) == chain.Break(3, "altered")
    removed = log.drop(index=1).reset_index(drop=True)
    assert chain.first_break(removed, AUDIT_LOG) == chain.Break(2, "link")
    inserted = pd.concat([log.iloc[:2], log.iloc[[4]], log.iloc[2:]], ignore_index=True)
    assert chain.first_break(inserted, AUDIT_LOG) == chain.Break(3, "link")
    # rewriting an edited row's own hash still breaks the link of the row after it
    rehashed = edited.copy()
    rehashed.loc[2, "hash"] = chain.row_hash(rehashed.iloc[2].to_dict(),
                                             chain.content_columns(AUDIT_LOG),
                                             str(rehashed.loc[2, "prev_hash"]))
    assert chain.first_break(rehashed, AUDIT_LOG) == chain.Break(4, "link")
    unsealed = log.copy()
    unsealed.loc[4, "hash"] = None
    assert chain.first_break(unsealed, AUDIT_LOG) == chain.Break(5, "unsealed")
    assert chain.first_break(log.drop(columns=["hash"]), AUDIT_LOG) == chain.Break(1, "unsealed")
