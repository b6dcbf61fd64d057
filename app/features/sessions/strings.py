"""Strings of the Mapping sessions page (create, print, transcribe, export)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nav.sessions": {"cs": "Mapovací setkání", "en": "Mapping sessions"},
    # --- sessions page ---
    "sessions.title": {"cs": "Mapovací setkání – {town}", "en": "Mapping sessions – {town}"},
    "sessions.intro": {
        "cs": "Setkání s dětmi, mládeží nebo obyvateli, kteří na mapě ukazují, kde se necítí "
              "bezpečně. Neukládají se žádná jména ani kontakty účastníků.",
        "en": "Sessions in which children, youth or residents show on a map where they feel "
              "unsafe. No participant names or contacts are ever stored.",
    },
    "sessions.new": {"cs": "Nové setkání", "en": "New session"},
    "sessions.date": {"cs": "Datum", "en": "Date"},
    "sessions.place": {"cs": "Místo (např. komunitní centrum)",
                       "en": "Place (e.g. a community centre)"},
    "sessions.organiser": {"cs": "Organizace (ne jméno osoby)",
                           "en": "Organisation (not a person's name)"},
    "sessions.group": {"cs": "Skupina", "en": "Group"},
    "sessions.participants": {"cs": "Počet účastníků", "en": "Participants"},
    "sessions.method": {"cs": "Způsob", "en": "Method"},
    "sessions.consent": {"cs": "Zaznamenaný souhlas", "en": "Recorded consent"},
    "sessions.consent.default": {
        "cs": "Souhlas účastníků (u dětí i zákonných zástupců) zaznamenán organizátorem.",
        "en": "Consent of the participants (and, for children, their guardians) recorded by "
              "the organiser.",
    },
    "sessions.create": {"cs": "Založit setkání", "en": "Create session"},
    "sessions.created": {"cs": "Setkání {session} bylo založeno.",
                         "en": "Session {session} created."},
    "sessions.list": {"cs": "Setkání ve městě", "en": "Sessions in this town"},
    "sessions.choose": {"cs": "Setkání", "en": "Session"},
    "sessions.none": {"cs": "Zatím žádné setkání.", "en": "No session yet."},
    "sessions.print": {"cs": "Tisk mapy pro papírové mapování",
                       "en": "Print a map for paper mapping"},
    "sessions.paper": {"cs": "Formát", "en": "Paper size"},
    "sessions.download_pdf": {"cs": "Stáhnout mapu (PDF)", "en": "Download the map (PDF)"},
    "sessions.transcribe": {"cs": "Přepis papírové mapy", "en": "Transcribe a paper map"},
    "sessions.transcribe.help": {
        "cs": "Jeden řádek = jeden lísteček: políčko, číslo kategorie z legendy, viděl/slyšel, "
              "kdy. Např. „C4, 3, slyšel, večer“.",
        "en": "One line = one note: grid cell, category number from the legend, seen/heard, "
              "when. E.g. “C4, 3, heard, evening”.",
    },
    "sessions.transcribe.rows": {"cs": "Řádky", "en": "Rows"},
    "sessions.transcribe.save": {"cs": "Uložit přepsané body", "en": "Save transcribed pins"},
    "sessions.transcribe.saved": {"cs": "Uloženo {n} bodů (čekají na schválení).",
                                  "en": "Saved {n} pins (pending moderation)."},
    "sessions.transcribe.error": {"cs": "Řádek {line}: {problem}", "en": "Row {line}: {problem}"},
    "sessions.transcribe.nothing": {"cs": "Nic se neuložilo – opravte chybné řádky.",
                                    "en": "Nothing was saved – fix the rows with errors."},
    "sessions.export": {"cs": "Export bodů", "en": "Export pins"},
    "sessions.export.public": {"cs": "Veřejný export (jen schválené, citlivé jen v buňkách)",
                               "en": "Public export (approved only, sensitive only as cells)"},
    "sessions.export.download": {"cs": "Stáhnout {fmt}", "en": "Download {fmt}"},
    "sessions.error": {"cs": "Setkání nelze uložit: {problem}",
                       "en": "Cannot save the session: {problem}"},
    "sessions.organiser.fixed": {
        "cs": "Setkání se zakládají za vaši organizaci: {centre}",
        "en": "Sessions are created for your organisation: {centre}",
    },
}
