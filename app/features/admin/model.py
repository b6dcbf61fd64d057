"""The Admin page's tables as people read them (no Streamlit here): labelled columns, roles
by their names, yes/no, and times in Europe/Prague in the language's format (never UTC ISO
strings); the audit chain's hashes stay out of the view (the CSV download keeps them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import pandas as pd

from app.ui.i18n import label, translate, when
from layers.access.accounts import Scope

#: Columns of the accounts table, in order (labels: ``admin.col.<column>``).
ACCOUNT_COLUMNS: Final = ("username", "display_name", "role", "centre", "reach", "active",
                          "created_at")
#: Columns of the audit log's view, in order (labels: ``admin.col.<column>``).
AUDIT_COLUMNS: Final = ("at", "username", "role", "action", "layer", "object_ids", "detail")
#: Columns of the failed-logins table, in order (labels: ``admin.logins.<column>``).
LOGIN_COLUMNS: Final = ("account", "failures", "clients", "last_at", "locked_until")


def _moments(values: pd.Series, lang: str) -> list[str]:
    return [when(value, lang) for value in values]


def reach_text(scope: Scope, town_names: Mapping[str, str], region_names: Mapping[str, str],
               lang: str) -> str:
    """Where an account acts, as people say it: "všechna města", or the names of its regions
    and towns in the order of ``region_names`` and ``town_names`` (id → name); a town or
    region the store no longer holds is left out, and an account left with none is "žádné"."""
    if scope.towns is None:
        return translate("admin.reach.all", lang)
    names = [region_names[code] for code in region_names if code in scope.regions]
    names += [town_names[town] for town in town_names if town in scope.towns]
    return ", ".join(names) or translate("admin.reach.none", lang)


def accounts_table(users: pd.DataFrame, reach: Sequence[str], lang: str) -> pd.DataFrame:
    """The accounts (``layers.access.accounts.list_users``) with labelled columns; ``reach``
    is each account's :func:`reach_text`, in the rows' order."""
    table = users.assign(reach=list(reach))[list(ACCOUNT_COLUMNS)].assign(
        role=[label("role", role, lang) for role in users["role"]],
        active=[translate("common.yes" if active else "common.no", lang)
                for active in users["active"].astype(bool)],
        created_at=_moments(users["created_at"], lang))
    return table.rename(columns={c: translate(f"admin.col.{c}", lang) for c in ACCOUNT_COLUMNS})


def audit_table(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The audit log (``layers.access.audit.audit_log``), newest first, labelled."""
    newest = log.iloc[::-1]
    table = newest[list(AUDIT_COLUMNS)].assign(
        at=_moments(newest["at"], lang),
        role=[label("role", role, lang) for role in newest["role"]])
    return table.rename(columns={c: translate(f"admin.col.{c}", lang) for c in AUDIT_COLUMNS})


def logins_table(failed: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Failed logins (``layers.access.accounts.failed_logins``), labelled, Prague times."""
    table = failed[list(LOGIN_COLUMNS)].assign(
        last_at=_moments(failed["last_at"], lang),
        locked_until=_moments(failed["locked_until"], lang))
    return table.rename(columns={c: translate(f"admin.logins.{c}", lang)
                                 for c in LOGIN_COLUMNS})
