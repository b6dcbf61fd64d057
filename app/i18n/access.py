"""Strings of the login gate, the Admin page (accounts, audit log) and the role names."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nav.admin": {"cs": "Správa účtů", "en": "Accounts"},
    # --- login in the sidebar ---
    "access.login": {"cs": "Přihlášení", "en": "Log in"},
    "access.username": {"cs": "Uživatelské jméno", "en": "Username"},
    "access.password": {"cs": "Heslo", "en": "Password"},
    "access.submit": {"cs": "Přihlásit", "en": "Log in"},
    "access.failed": {"cs": "Neplatné jméno nebo heslo.", "en": "Invalid username or password."},
    "access.throttled": {
        "cs": "Příliš mnoho neúspěšných pokusů o přihlášení k tomuto jménu. Přihlášení je "
              "dočasně zablokováno, zkuste to znovu za {minutes} min.",
        "en": "Too many failed logins for this username. Logging in is blocked for now; "
              "try again in {minutes} min.",
    },
    "access.public_hint": {
        "cs": "Bez přihlášení vidíte jen veřejná, souhrnná data.",
        "en": "Without logging in you see public, aggregated data only.",
    },
    "access.logged_in": {"cs": "Přihlášen(a): **{user}** ({role})",
                         "en": "Logged in: **{user}** ({role})"},
    "access.centre": {"cs": "Organizace: {centre}", "en": "Organisation: {centre}"},
    "access.logout": {"cs": "Odhlásit", "en": "Log out"},
    "access.denied": {
        "cs": "Tato stránka je jen pro přihlášené uživatele s odpovídající rolí.",
        "en": "This page is only for logged-in users with the matching role.",
    },
    "access.bootstrap_error": {
        "cs": "Prvního správce se nepodařilo založit: {problem}",
        "en": "The first admin could not be created: {problem}",
    },
    # --- the Map page's exact pins (view_exact_sensitive) ---
    "access.exact_pins": {"cs": "Přesná citlivá místa", "en": "Exact sensitive places"},
    "access.exact_pins.help": {
        "cs": "Ukáže všechny schválené odpovědi pocitové mapy přesně, i citlivé kategorie "
              "(drogy, agresivní skupiny…), místo souhrnných buněk. Jen pro policii, moderátory "
              "a správce; každé zobrazení se zapisuje do auditního záznamu.",
        "en": "Shows every approved feeling-map answer at its exact place, sensitive categories "
              "(drugs, aggressive groups…) too, instead of the aggregated cells. Only for "
              "police, moderators and admins; every view is written to the audit log.",
    },
    "access.exact_pins.audited": {
        "cs": "Zobrazena přesná citlivá místa – neveřejné údaje. Zobrazení je zapsáno "
              "v auditním záznamu; mapu nesdílejte ani netiskněte pro veřejnost.",
        "en": "Exact sensitive places shown – not public. The view is recorded in the audit "
              "log; do not share or print this map for the public.",
    },
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
    "sessions.organiser.fixed": {
        "cs": "Setkání se zakládají za vaši organizaci: {centre}",
        "en": "Sessions are created for your organisation: {centre}",
    },
}
