"""The Admin page: accounts (create, disable) and the audit log (view, CSV download).

Only for ``manage_accounts``; ``layers.access`` checks that right again on every call.
"""

from __future__ import annotations

import streamlit as st

from app.ui import cache
from app.ui.access import page_principal
from app.ui.state import error_text, t
from layers.access import accounts, audit
from layers.access.roles import ACCOUNT_ROLES, MANAGE_ACCOUNTS


def render() -> None:
    """The page: the accounts with forms to create and disable one, and the audit log."""
    principal = page_principal(MANAGE_ACCOUNTS)
    store = cache.store()

    st.title(t("admin.title"))

    st.header(t("admin.accounts"))
    users = accounts.list_users(store, principal)
    st.dataframe(users.assign(role=[t(f"role.{r}") for r in users["role"]]), hide_index=True,
                 width="stretch")

    with st.expander(t("admin.new")), st.form("new_account", clear_on_submit=True):
        username = st.text_input(t("access.username"), key="admin_username")
        display_name = st.text_input(t("admin.display_name"), key="admin_display_name")
        password = st.text_input(t("access.password"), type="password", key="admin_password")
        role = st.selectbox(t("admin.role"), ACCOUNT_ROLES, format_func=lambda r: t(f"role.{r}"),
                            key="admin_role")
        centre = st.text_input(t("admin.centre"), key="admin_centre")
        if st.form_submit_button(t("admin.create"), type="primary"):
            try:
                accounts.create_user(store, principal, username.strip(), password, str(role),
                                     centre=centre, display_name=display_name)
            except ValueError as exc:
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
            except ValueError as exc:
                st.error(t("admin.error", problem=error_text(exc)))
            else:
                st.toast(t("admin.disabled", user=chosen))
                st.rerun()

    st.header(t("admin.audit"))
    st.caption(t("admin.audit.help"))
    log = audit.audit_log(store, principal)
    if log.empty:
        st.info(t("admin.audit.none"))
    else:
        st.dataframe(log.iloc[::-1], hide_index=True, width="stretch")
        # deferred: the export is logged when it is downloaded, not on every page view
        st.download_button(t("admin.audit.download"),
                           lambda: audit.audit_csv(store, principal)[0],
                           file_name="audit_log.csv", mime="text/csv", key="admin_audit_csv")


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
