"""Strings of the Admin page (accounts, audit log)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nav.admin": {"cs": "Správa účtů", "en": "Accounts"},
    # --- the Admin page ---
    "admin.title": {"cs": "Správa účtů a auditní záznam", "en": "Accounts and audit log"},
    "admin.accounts": {"cs": "Účty", "en": "Accounts"},
    "admin.new": {"cs": "Nový účet", "en": "New account"},
    "admin.display_name": {"cs": "Zobrazované jméno", "en": "Display name"},
    "admin.role": {"cs": "Role", "en": "Role"},
    "admin.centre": {"cs": "Organizace (u facilitátora povinná, jako „organizátor“ setkání)",
                     "en": "Organisation (required for a facilitator, as a session's "
                           "'organiser')"},
    "admin.create": {"cs": "Založit účet", "en": "Create account"},
    "admin.created": {"cs": "Účet {user} byl založen.", "en": "Account {user} created."},
    "admin.error": {"cs": "Nelze provést: {problem}", "en": "Not possible: {problem}"},
    "admin.disable": {"cs": "Zablokovat účet", "en": "Disable account"},
    "admin.disable_button": {"cs": "Zablokovat", "en": "Disable"},
    "admin.disabled": {"cs": "Účet {user} byl zablokován.", "en": "Account {user} disabled."},
    "admin.audit": {"cs": "Auditní záznam", "en": "Audit log"},
    "admin.audit.help": {
        "cs": "Kdo viděl přesná citlivá místa, kdo co změnil a kdy (čas v UTC).",
        "en": "Who saw exact sensitive pins, who changed what and when (UTC).",
    },
    "admin.audit.none": {"cs": "Zatím žádný záznam.", "en": "No entry yet."},
    "admin.audit.download": {"cs": "Stáhnout auditní záznam (CSV)",
                             "en": "Download the audit log (CSV)"},
}
