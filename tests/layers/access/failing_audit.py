"""Make a store refuse every write that carries an audit entry, as a full disk would."""

from __future__ import annotations

from typing import Any

import pytest

from layers.schema import AUDIT_LOG
from layers.store import Store, StoreError
from layers.store.base import Layer, layer_name


def refuse_audit_writes(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Until ``monkeypatch`` is undone, an ``append_batch`` of ``store`` holding audit rows
    raises ``StoreError`` ("disk full") before writing; other writes go through."""
    append_batch = store.append_batch

    def refuse_audit(items: Any, unique_keys: Any = None) -> dict[str, int]:
        batch: list[tuple[Layer, Any]] = list(items)
        if any(layer_name(layer) == AUDIT_LOG.name for layer, _ in batch):
            raise StoreError("store.write_failed", layer="audit_log", detail="disk full")
        return append_batch(batch, unique_keys)

    monkeypatch.setattr(store, "append_batch", refuse_audit)
