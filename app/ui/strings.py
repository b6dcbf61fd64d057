"""Strings shared by every page: app chrome, sidebar, the login gate and the names of the
store's layers.

The labels of the domain's vocabularies (pin categories, roles, …) are in ``layers.vocabulary``.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"cs": "Mapa bezpečí", "en": "Safety map"},
    "sidebar.language": {"cs": "Jazyk / Language", "en": "Jazyk / Language"},
    "lang.cs": {"cs": "Čeština", "en": "Čeština"},
    "lang.en": {"cs": "English", "en": "English"},
    "sidebar.town": {"cs": "Město", "en": "Town"},
    "nav.map": {"cs": "Mapa", "en": "Map"},
    "store.missing": {
        "cs": "Datové úložiště {location} zatím neexistuje. Vytvořte ho příkazem "
              "`mapa build-demo`.",
        "en": "The data store {location} does not exist yet. Create it with `mapa build-demo`.",
    },
    "store.no_towns": {
        "cs": "Úložiště {location} neobsahuje žádné město.",
        "en": "The store {location} holds no town.",
    },
    "common.synthetic": {"cs": "ilustrativní data", "en": "illustrative data"},
    "common.yes": {"cs": "ano", "en": "yes"},
    "common.no": {"cs": "ne", "en": "no"},
    # --- store layers (layers.schema.ALL_LAYERS) ---
    "layer.towns": {"cs": "Obce", "en": "Municipalities"},
    "layer.regions": {"cs": "Kraje", "en": "Regions"},
    "layer.localities": {"cs": "Sociálně vyloučené lokality", "en": "Excluded localities"},
    "layer.sessions": {"cs": "Mapovací setkání", "en": "Mapping sessions"},
    "layer.pins": {"cs": "Pocitová mapa", "en": "Feeling map"},
    "layer.services": {"cs": "Služby", "en": "Services"},
    "layer.police_districts": {"cs": "Obvody policie", "en": "Police districts"},
    "layer.crime_stats": {"cs": "Statistika kriminality", "en": "Crime statistics"},
    "layer.crime_reference": {"cs": "Srovnávací index kriminality",
                              "en": "Reference crime index"},
    "layer.context_lines": {"cs": "Silnice, železnice, řeky", "en": "Roads, railways, rivers"},
    "layer.sources": {"cs": "Zdroje", "en": "Sources"},
    "layer.strategies": {"cs": "Strategie", "en": "Strategies"},
    "layer.goals": {"cs": "Cíle", "en": "Goals"},
    "layer.measures": {"cs": "Opatření", "en": "Measures"},
    "layer.measure_links": {"cs": "Vazby opatření", "en": "Measure links"},
    "layer.indicators": {"cs": "Indikátory", "en": "Indicators"},
    "layer.indicator_bands": {"cs": "Pásma indikátorů", "en": "Indicator bands"},
    "layer.observations": {"cs": "Měření indikátorů", "en": "Indicator observations"},
    "layer.evaluations": {"cs": "Hodnocení", "en": "Evaluations"},
    "layer.history": {"cs": "Historie změn", "en": "Change history"},
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
}
