"""The Admin page: accounts (create, disable, reset a password, change a role or the towns it
acts for, unlock) and the audit log (view, CSV download).

Only for ``manage_accounts``; ``layers.access`` checks that right again on every call.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.features.admin.model import accounts_table, audit_table, logins_table, reach_text
from app.ui import cache
from app.ui.access import page_principal
from app.ui.state import current_language, error_text, t
from layers.access import accounts, audit
from layers.access.accounts import EVERY_TOWN, Scope
from layers.access.principal import Principal
from layers.access.roles import ACCOUNT_ROLES, MANAGE_ACCOUNTS
from layers.errors import MapaError
from layers.store import Store

#: What a form reports as a refusal: a bad value, a missing or foreign account, no right, and
#: a store that cannot write (a full disk, the database gone), each in the user's language.
REFUSED = (ValueError, MapaError)


def render() -> None:
    """The page: the accounts with forms to create and disable one, and the audit log."""
    principal = page_principal(MANAGE_ACCOUNTS)
    store = cache.store()

    st.title(t("admin.title"))

    st.header(t("admin.accounts"))
    users = accounts.list_users(store, principal)
    town_names, region_names = _town_choices(principal)
    reach = [reach_text(accounts.scope_of(store, row), town_names, region_names,
                        current_language()) for _, row in users.iterrows()]
    st.dataframe(accounts_table(users, reach, current_language()), hide_index=True,
                 width="stretch")

    with st.expander(t("admin.new")), st.form("new_account", clear_on_submit=True):
        username = st.text_input(t("access.username"), key="admin_username")
        display_name = st.text_input(t("admin.display_name"), key="admin_display_name")
        password = st.text_input(t("access.password"), type="password", key="admin_password")
        role = st.selectbox(t("admin.role"), ACCOUNT_ROLES, format_func=lambda r: t(f"role.{r}"),
                            key="admin_role")
        centre = st.text_input(t("admin.centre"), key="admin_centre")
        towns = st.multiselect(t("admin.towns.towns"), list(town_names),
                               format_func=town_names.__getitem__, key="admin_new_towns",
                               help=t("admin.towns.new_help"))
        if st.form_submit_button(t("admin.create"), type="primary"):
            try:
                accounts.create_user(store, principal, username.strip(), password, str(role),
                                     centre=centre, display_name=display_name,
                                     scope=Scope(tuple(towns)) if towns else None)
            except REFUSED as exc:
                st.error(t("admin.error", problem=error_text(exc)))
            else:
                st.success(t("admin.created", user=username.strip()))

    others = [u for u, active in zip(users["username"], users["active"].astype(bool), strict=True)
              if active and u != principal.username]
    if others:
        st.subheader(t("admin.disable"))
        left, right = st.columns([3, 1])
        chosen = left.selectbox(t("access.username"), others, key="admin_disable_user")
        if right.button(t("admin.disable_button"), key="admin_disable"):
            try:
                accounts.disable_user(store, principal, str(chosen))
            except REFUSED as exc:
                st.error(t("admin.error", problem=error_text(exc)))
            else:
                st.toast(t("admin.disabled", user=chosen))
                st.rerun()

    if others:
        _reset_password(store, principal, others)
        _change_role(store, principal, others)
        _change_towns(store, principal, users[users["username"].isin(others)],
                      town_names, region_names)

    _failed_logins(store, principal, list(users["username"]))

    st.header(t("admin.audit"))
    st.caption(t("admin.audit.help"))
    log = audit.audit_log(store, principal)
    if log.empty:
        st.info(t("admin.audit.none"))
    else:
        st.dataframe(audit_table(log, current_language()), hide_index=True, width="stretch")
        # deferred: the export is logged when it is downloaded, not on every page view
        st.download_button(t("admin.audit.download"),
                           lambda: audit.audit_csv(store, principal)[0],
                           file_name="audit_log.csv", mime="text/csv", key="admin_audit_csv")


def _reset_password(store: Store, principal: Principal, usernames: list[str]) -> None:
    """A new temporary password for an account, shown once (only in this run: it is never
    stored in clear); its owner must change it at the next login."""
    st.subheader(t("admin.reset"))
    st.caption(t("admin.reset.help"))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(t("access.username"), usernames, key="admin_reset_user")
    if right.button(t("admin.reset_button"), key="admin_reset"):
        try:
            temporary = accounts.reset_password(store, principal, str(chosen))
        except REFUSED as exc:
            st.error(t("admin.error", problem=error_text(exc)))
        else:
            with st.container(key="admin_temporary"):
                st.success(t("admin.reset.done", user=chosen))
                st.code(temporary, language=None)


def _change_role(store: Store, principal: Principal, usernames: list[str]) -> None:
    """Another role (and centre) for an account; it applies at the user's next page load."""
    st.subheader(t("admin.change_role"))
    with st.form("admin_role_form"):
        chosen = st.selectbox(t("access.username"), usernames, key="admin_role_user")
        role = st.selectbox(t("admin.role"), ACCOUNT_ROLES, format_func=lambda r: t(f"role.{r}"),
                            key="admin_role_new")
        centre = st.text_input(t("admin.centre"), key="admin_role_centre")
        submitted = st.form_submit_button(t("admin.change_role_button"))
    if submitted:
        try:
            accounts.set_role(store, principal, str(chosen), str(role), centre)
        except REFUSED as exc:
            st.error(t("admin.error", problem=error_text(exc)))
        else:
            st.success(t("admin.role_changed", user=chosen, role=t(f"role.{role}")))


def _town_choices(principal: Principal) -> tuple[dict[str, str], dict[str, str]]:
    """The towns (id → name) and regions (``kod_kraj`` → name) ``principal`` may give an
    account: its own towns, and the regions whose every town is one of them."""
    every = cache.towns()
    towns = every if principal.towns is None else every[every["town_id"].isin(principal.towns)]
    town_names = dict(zip(towns["town_id"].astype(str), towns["name"].astype(str), strict=True))
    held = every.groupby(every["kod_kraj"].astype(str))["town_id"].agg(set)
    region_names = {code: name for code, name in cache.regions().items()
                    if code in held.index and held[code] <= town_names.keys()}
    return town_names, region_names


def _change_towns(store: Store, principal: Principal, users: pd.DataFrame,
                  town_names: dict[str, str], region_names: dict[str, str]) -> None:
    """The towns and regions an account acts for (or every town, offered to an admin of every
    town); the fields start from the chosen account's present ones."""
    st.subheader(t("admin.towns"))
    st.caption(t("admin.towns.help"))
    chosen = str(st.selectbox(t("access.username"), list(users["username"]),
                              key="admin_towns_user"))
    now = accounts.scope_of(store, users[users["username"] == chosen].iloc[0])
    # keyed by the account: choosing another one starts its fields from that account's towns
    with st.form(f"admin_towns_form_{chosen}"):
        every = principal.towns is None and st.checkbox(
            t("admin.towns.all"), value=now.towns is None, key=f"admin_towns_all_{chosen}")
        towns = st.multiselect(
            t("admin.towns.towns"), list(town_names), format_func=town_names.__getitem__,
            default=[town for town in town_names if now.towns and town in now.towns],
            key=f"admin_towns_towns_{chosen}")
        regions = st.multiselect(
            t("admin.towns.regions"), list(region_names), format_func=region_names.__getitem__,
            default=[code for code in region_names if code in now.regions],
            key=f"admin_towns_regions_{chosen}")
        submitted = st.form_submit_button(t("admin.towns.button"))
    if not submitted:
        return
    if not (every or towns or regions):
        st.error(t("admin.towns.none_chosen"))
        return
    scope = EVERY_TOWN if every else Scope(tuple(towns), tuple(regions))
    try:
        accounts.set_scope(store, principal, chosen, scope)
    except REFUSED as exc:
        st.error(t("admin.error", problem=error_text(exc)))
    else:
        st.success(t("admin.towns.done", user=chosen, reach=reach_text(
            scope, town_names, region_names, current_language())))


def _failed_logins(store: Store, principal: Principal, usernames: list[str]) -> None:
    """Accounts with failed logins lately, and the unlock of an account (acted on before
    the table is drawn, so the table shows the unlock at once)."""
    st.header(t("admin.logins"))
    st.caption(t("admin.logins.help"))
    failed = accounts.failed_logins(store, principal)
    # accounts with failures first: they are the ones an admin comes to unlock
    named = [a for a in failed["account"] if a in usernames]
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(t("admin.unlock"), named + [u for u in usernames if u not in named],
                            key="admin_unlock_user")
    if right.button(t("admin.unlock_button"), key="admin_unlock") and chosen:
        try:
            count = accounts.unlock_user(store, principal, str(chosen))
        except REFUSED as exc:
            st.error(t("admin.error", problem=error_text(exc)))
        else:
            st.success(t("admin.unlocked", user=chosen, count=count))
            failed = accounts.failed_logins(store, principal)
    if failed.empty:
        st.info(t("admin.logins.none"))
    else:
        st.dataframe(logins_table(failed, current_language()), hide_index=True, width="stretch")


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
