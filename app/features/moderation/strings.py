"""Strings of the Moderation page (pending pins)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nav.moderation": {"cs": "Moderace", "en": "Moderation"},
    # --- moderation page ---
    "moderation.title": {"cs": "Moderace – {town}", "en": "Moderation – {town}"},
    "moderation.intro": {
        "cs": "Nové body čekají na schválení. Do analýz a veřejných map jdou jen schválené. "
              "Poznámky s možnými osobními údaji (telefon, e-mail, jméno) jsou zadržené a "
              "nikdy se nezveřejní.",
        "en": "New pins wait for approval; only approved pins reach analyses and public "
              "maps. Notes that may hold personal data (phone, e-mail, a name) are held and "
              "never published.",
    },
    "moderation.session": {"cs": "Setkání", "en": "Session"},
    "moderation.all_sessions": {"cs": "všechna setkání", "en": "all sessions"},
    "moderation.pending": {"cs": "Čeká na schválení: {n}", "en": "Pending: {n}"},
    "moderation.none": {"cs": "Nic nečeká na schválení.", "en": "Nothing is pending."},
    "moderation.select": {"cs": "Vybrat", "en": "Select"},
    "moderation.held": {"cs": "zadrženo", "en": "held"},
    "moderation.approve": {"cs": "✔ Schválit vybrané", "en": "✔ Approve selected"},
    "moderation.approve_all": {"cs": "✔ Schválit všech {n} zobrazených",
                               "en": "✔ Approve all {n} shown"},
    "moderation.reject": {"cs": "✖ Zamítnout vybrané", "en": "✖ Reject selected"},
    "moderation.reason": {"cs": "Důvod zamítnutí", "en": "Reason for rejection"},
    "moderation.recategorise": {"cs": "Změnit kategorii vybraných",
                                "en": "Change category of selected"},
    "moderation.apply_category": {"cs": "Změnit kategorii", "en": "Change category"},
    "moderation.done": {"cs": "Hotovo: {n} bodů.", "en": "Done: {n} pins."},
    "moderation.nothing_selected": {"cs": "Nejdřív vyberte body.", "en": "Select pins first."},
    "moderation.need_reason": {"cs": "Zamítnutí potřebuje důvod.",
                               "en": "A rejection needs a reason."},
    "moderation.col.category": {"cs": "Kategorie", "en": "Category"},
    "moderation.col.feeling": {"cs": "Pocit", "en": "Feeling"},
    "moderation.col.comment": {"cs": "Poznámka", "en": "Note"},
    "moderation.col.session": {"cs": "Setkání", "en": "Session"},
    "moderation.col.created": {"cs": "Vloženo", "en": "Added"},
}
