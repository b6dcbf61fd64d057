"""UI strings of the Area page (goals, measures and indicators of a town or locality)."""

from __future__ import annotations

STRINGS = {
    "nav.area": {"cs": "Oblast", "en": "Area"},
    "area.title": {"cs": "Cíle, opatření a ukazatele – {area}",
                   "en": "Goals, measures and indicators – {area}"},
    "area.intro": {"cs": "Co strategické dokumenty říkají o vybrané oblasti: cíle, opatření "
                         "s jejich stavem, ukazatele a místa strachu, která zatím žádné "
                         "opatření neřeší.",
                   "en": "What the strategy documents say about the chosen area: goals, "
                         "measures with their status, indicators and the places of fear no "
                         "measure addresses yet."},
    "area.locality": {"cs": "Oblast", "en": "Area"},
    "area.whole_town": {"cs": "Celé město", "en": "Whole town"},
    "area.no_strategy": {"cs": "Pro tuto oblast není v úložišti žádný strategický dokument.",
                         "en": "The store holds no strategy document for this area."},
    "area.goals": {"cs": "Cíle a opatření", "en": "Goals and measures"},
    "area.loose": {"cs": "Opatření bez cíle", "en": "Measures without a goal"},
    "area.status.planned": {"cs": "plánováno", "en": "planned"},
    "area.status.in_progress": {"cs": "probíhá", "en": "in progress"},
    "area.status.done": {"cs": "splněno", "en": "done"},
    "area.status.suspended": {"cs": "pozastaveno", "en": "suspended"},
    "area.status.ended": {"cs": "ukončeno", "en": "ended"},
    "area.indicators": {"cs": "Ukazatele", "en": "Indicators"},
    "area.no_indicators": {"cs": "Žádné ukazatele.", "en": "No indicators."},
    "area.col.goal": {"cs": "Cíl", "en": "Goal"},
    "area.col.name": {"cs": "Ukazatel", "en": "Indicator"},
    "area.col.baseline": {"cs": "Výchozí stav", "en": "Baseline"},
    "area.col.baseline_date": {"cs": "Datum výchozího stavu", "en": "Baseline date"},
    "area.col.latest": {"cs": "Poslední stav", "en": "Latest"},
    "area.col.latest_date": {"cs": "Datum posledního stavu", "en": "Latest date"},
    "area.col.change": {"cs": "Změna", "en": "Change"},
    "area.change.better": {"cs": "zlepšení", "en": "better"},
    "area.change.worse": {"cs": "zhoršení", "en": "worse"},
    "area.change.same": {"cs": "beze změny", "en": "same"},
    "area.hotspots": {"cs": "Místa strachu, která žádné opatření neřeší",
                      "en": "Places of fear no measure addresses"},
    "area.hotspots.note": {"cs": "Buňky {cell} m s alespoň {k} schválenými odpověďmi. Buňka je "
                                 "řešena, když ji pokrývá aktivní opatření: místo do {radius} m, "
                                 "lokalita nebo zakreslená plocha. Řešeno {addressed} z {total}.",
                           "en": "Cells of {cell} m with at least {k} approved answers. A cell is "
                                 "addressed when an active measure covers it: a place within "
                                 "{radius} m, a locality or a drawn area. Addressed: {addressed} "
                                 "of {total}."},
    "area.hotspots.none": {"cs": "Všechna místa strachu v oblasti nějaké opatření řeší.",
                           "en": "Every place of fear in the area is addressed by a measure."},
    "area.col.centre": {"cs": "Střed buňky (šířka, délka)", "en": "Cell centre (lat, lon)"},
    "area.col.count": {"cs": "Odpovědí", "en": "Answers"},
    "area.col.categories": {"cs": "Kategorie", "en": "Categories"},
    "area.map.place": {"cs": "Místo, na které odkazuje opatření", "en": "Place a measure names"},
    "area.map.unaddressed": {"cs": "Neřešené místo strachu: {n} odpovědí",
                             "en": "Unaddressed place of fear: {n} answers"},
    "area.map.addressed": {"cs": "Řešené místo strachu: {n} odpovědí ({measures})",
                           "en": "Addressed place of fear: {n} answers ({measures})"},
    "area.download.html": {"cs": "Zpráva pro zastupitelstvo (HTML)",
                           "en": "Council report (HTML)"},
    "area.download.pdf": {"cs": "Zpráva pro zastupitelstvo (PDF)", "en": "Council report (PDF)"},
}
