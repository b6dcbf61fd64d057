"""UI strings of the Patrol planning and Public space pages (issue 7)."""

from __future__ import annotations

STRINGS = {
    "nav.patrol": {"cs": "Plánování hlídek", "en": "Patrol planning"},
    "nav.urban": {"cs": "Veřejný prostor", "en": "Public space"},
    # --- patrol planning -------------------------------------------------------------------
    "patrol.title": {"cs": "Plánování hlídek – {area}", "en": "Patrol planning – {area}"},
    "patrol.intro": {
        "cs": "Exponovaná místa podle hotspotů strachu, kriminality a denní doby, kdy se lidé "
              "bojí; z vybraných míst okruh pro pěší hlídku městské policie nebo asistentů "
              "prevence kriminality. Vše jen ze souhrnných (veřejných) dat, bez osobních údajů.",
        "en": "Exposed places from fear and crime hotspots and the time of day people are "
              "afraid; the chosen places become a walking round for the municipal police or "
              "crime-prevention assistants. Aggregated (public) data only, no personal data."},
    "patrol.locality": {"cs": "Oblast", "en": "Area"},
    "patrol.whole_town": {"cs": "Celé město", "en": "Whole town"},
    "patrol.places": {"cs": "Počet míst na okruhu", "en": "Places on the round"},
    "patrol.times": {"cs": "Denní doba (faktor času)", "en": "Time of day (time factor)"},
    "patrol.weight.fear": {"cs": "Váha: strach", "en": "Weight: fear"},
    "patrol.weight.crime": {"cs": "Váha: kriminalita", "en": "Weight: crime"},
    "patrol.weight.time": {"cs": "Váha: denní doba", "en": "Weight: time of day"},
    "patrol.distance": {"cs": "Pokrytí do vzdálenosti (m)", "en": "Coverage within (m)"},
    "patrol.mode": {"cs": "Trasa", "en": "Route"},
    "patrol.mode.auto": {"cs": "po ulicích, jsou-li k dispozici",
                         "en": "along streets when available"},
    "patrol.mode.straight": {"cs": "přímé úseky", "en": "straight lines"},
    "patrol.weights_note": {
        "cs": "Skóre místa = Σ (váha × hodnota faktoru) / Σ vah. Hodnoty 0–1: hustota strachu "
              "a kriminality vůči nejvyšší ve městě, počet odpovědí ve zvolené denní době vůči "
              "nejvyššímu. Příspěvky faktorů se sčítají do skóre.",
        "en": "A place's score = Σ (weight × factor value) / Σ weights. Values 0–1: fear and "
              "crime density relative to the town's highest, answers at the chosen times "
              "relative to the highest. The factors' contributions add up to the score."},
    "patrol.error": {"cs": "Plán nelze sestavit: {detail}", "en": "No plan possible: {detail}"},
    "patrol.metric.length": {"cs": "Délka okruhu", "en": "Round length"},
    "patrol.metric.walk": {"cs": "Chůze", "en": "Walking"},
    "patrol.metric.total": {"cs": "S zastávkami", "en": "With stops"},
    "patrol.metric.coverage": {"cs": "Pokryté horké buňky strachu",
                               "en": "Fear hot cells covered"},
    "patrol.metric.coverage_crime": {"cs": "Pokryté horké buňky kriminality",
                                     "en": "Crime hot cells covered"},
    "patrol.minutes": {"cs": "{n} min", "en": "{n} min"},
    "patrol.method.street_network": {"cs": "Trasa vede po uliční síti města (silnice z "
                                           "podkladu) s přímými přístupy k místům.",
                                     "en": "The route follows the town's street lines (road "
                                           "layer) with straight access legs to the places."},
    "patrol.method.straight_lines": {"cs": "Trasa je z přímých úseků mezi místy.",
                                     "en": "The route is made of straight lines between the "
                                           "places."},
    "patrol.method.why": {"cs": "Proč: {note}", "en": "Why: {note}"},
    "patrol.left_out": {"cs": "Mimo okruh zůstává {n} horkých buněk (fialový obrys na mapě).",
                        "en": "{n} hot cells stay off the round (purple outline on the map)."},
    "patrol.crime_note": {
        "cs": "Kriminalita je jen index obvodních oddělení policie (jedna hodnota na obvod), "
              "ne místa činů: horké buňky kriminality se proto nepočítají.",
        "en": "Crime is only the police districts' index (one value per district), not "
              "located offences: crime hot cells are therefore not counted."},
    "patrol.table": {"cs": "Pořadí míst na okruhu", "en": "Places in walking order"},
    "patrol.col.position": {"cs": "Pořadí", "en": "Order"},
    "patrol.col.rank": {"cs": "Priorita", "en": "Rank"},
    "patrol.col.window": {"cs": "Časové okno", "en": "Time window"},
    "patrol.col.score": {"cs": "Skóre", "en": "Score"},
    "patrol.col.fear": {"cs": "Příspěvek strachu", "en": "Fear contribution"},
    "patrol.col.crime": {"cs": "Příspěvek kriminality", "en": "Crime contribution"},
    "patrol.col.time": {"cs": "Příspěvek denní doby", "en": "Time contribution"},
    "patrol.col.why": {"cs": "Proč je místo tady", "en": "Why this place"},
    "patrol.col.reported": {"cs": "Co zde lidé nahlásili", "en": "What people reported here"},
    "patrol.why": {
        "cs": "{rank}. nejexponovanější: strach {fear} % maxima ({fear_class}), kriminalita "
              "{crime} %, {time_answers} z {answers} odpovědí v okolí ve zvolené denní době",
        "en": "{rank}. most exposed: fear {fear} % of the highest ({fear_class}), crime "
              "{crime} %, {time_answers} of {answers} answers around it at the chosen times"},
    "patrol.fewer": {"cs": "méně než {k}", "en": "fewer than {k}"},
    "patrol.download.gpx": {"cs": "Stáhnout GPX", "en": "Download GPX"},
    "patrol.download.pdf": {"cs": "Stáhnout list hlídky (PDF)",
                            "en": "Download patrol sheet (PDF)"},
    "patrol.download.html": {"cs": "List hlídky (HTML)", "en": "Patrol sheet (HTML)"},
    "patrol.download.gpkg": {"cs": "GeoPackage pro QGIS", "en": "GeoPackage for QGIS"},
    "patrol.map.route": {"cs": "Okruh hlídky", "en": "Patrol round"},
    "patrol.map.hot": {"cs": "Horké buňky strachu", "en": "Fear hot cells"},
    "patrol.map.left_out": {"cs": "Mimo okruh", "en": "Off the round"},
    "patrol.map.stops": {"cs": "Místa (pořadí)", "en": "Places (order)"},
    "patrol.map.legend": {"cs": "Plán hlídky", "en": "Patrol plan"},
    "patrol.save.title": {"cs": "Uložit plán", "en": "Save the plan"},
    "patrol.save.name": {"cs": "Název plánu", "en": "Plan title"},
    "patrol.save.as": {"cs": "Uloží se pod účtem {user} ({role}).",
                       "en": "Saved as {user} ({role})."},
    "patrol.save.submit": {"cs": "Uložit plán", "en": "Save plan"},
    "patrol.save.done": {"cs": "Plán uložen.", "en": "Plan saved."},
    "patrol.save.error": {"cs": "Neuloženo: {problem}", "en": "Not saved: {problem}"},
    "patrol.saved": {"cs": "Uložené plány", "en": "Saved plans"},
    "patrol.saved.none": {"cs": "Zatím žádný uložený plán.", "en": "No saved plan yet."},
    "patrol.saved.col.title": {"cs": "Název", "en": "Title"},
    "patrol.saved.col.when": {"cs": "Uloženo", "en": "Saved"},
    "patrol.saved.col.length": {"cs": "Délka (km)", "en": "Length (km)"},
    "patrol.saved.col.measure": {"cs": "Opatření", "en": "Measure"},
    "patrol.measure.title": {"cs": "Propojit plán jako opatření strategie",
                             "en": "Link a plan as a strategy measure"},
    "patrol.measure.plan": {"cs": "Plán", "en": "Plan"},
    "patrol.measure.goal": {"cs": "Cíl", "en": "Goal"},
    "patrol.measure.text": {"cs": "Znění opatření", "en": "Measure wording"},
    "patrol.measure.submit": {"cs": "Vytvořit opatření", "en": "Create measure"},
    "patrol.measure.done": {"cs": "Opatření vytvořeno a propojeno s místy plánu.",
                            "en": "Measure created and linked to the plan's places."},
    "patrol.measure.no_right": {
        "cs": "Navrhnout opatření strategie z plánu může jen účet, který smí navrhovat opatření "
              "(policie, koordinátor strategie, správce).",
        "en": "Only an account that may propose measures (police, strategy coordinator, "
              "admin) turns a plan into a strategy measure."},
    "patrol.measure.no_goal": {"cs": "Město nemá strategii s cíli.",
                               "en": "The town has no strategy with goals."},
    # --- public space ----------------------------------------------------------------------
    "urban.title": {"cs": "Veřejný prostor – {town}", "en": "Public space – {town}"},
    "urban.intro": {
        "cs": "Dostupnost služeb z lokalit a horkých míst strachu, bílá místa bez služby, "
              "bezpečnostní audity míst (CPTED) a systém služeb a jejich provazeb.",
        "en": "Service accessibility from localities and fear hotspots, white spots without a "
              "service, safety audits of places (CPTED) and the system of services and their "
              "links."},
    "urban.distance": {"cs": "Bílé místo: žádná služba skupiny do (m)",
                       "en": "White spot: no service of a group within (m)"},
    "urban.access": {"cs": "Dostupnost služeb", "en": "Service accessibility"},
    "urban.white.count": {"cs": "Bílá místa", "en": "White spots"},
    "urban.white.none": {"cs": "Žádná bílá místa: každá lokalita a horká buňka má do {m} m "
                               "službu každé skupiny.",
                         "en": "No white spots: every locality and hot cell has a service of "
                               "each group within {m} m."},
    "urban.white.note": {"cs": "Bílé místo = lokalita nebo horká buňka strachu, od níž je "
                               "nejbližší služba některé skupiny dál než {m} m (vzdušnou "
                               "čarou).",
                         "en": "White spot = a locality or fear hot cell whose nearest service "
                               "of some group is farther than {m} m (straight line)."},
    "urban.group.nzdm": {"cs": "NZDM", "en": "Youth club (NZDM)"},
    "urban.group.community_centre": {"cs": "Komunitní centrum", "en": "Community centre"},
    "urban.group.playground": {"cs": "Hřiště / workout", "en": "Playground / workout"},
    "urban.group.police": {"cs": "Policie, MP, APK", "en": "Police, municipal police, APK"},
    "urban.group.social": {"cs": "Sociální služby", "en": "Social services"},
    "urban.col.kind": {"cs": "Druh", "en": "Kind"},
    "urban.col.name": {"cs": "Místo", "en": "Place"},
    "urban.col.white": {"cs": "Chybí do vzdálenosti", "en": "Missing within distance"},
    "urban.kind.locality": {"cs": "lokalita", "en": "locality"},
    "urban.kind.cell": {"cs": "horká buňka", "en": "hot cell"},
    "urban.map.white": {"cs": "Bílé místo", "en": "White spot"},
    "urban.map.served": {"cs": "Obslouženo", "en": "Served"},
    "urban.map.links": {"cs": "Provazby služeb", "en": "Service links"},
    "urban.map.audits": {"cs": "Audity bezpečnosti", "en": "Safety audits"},
    "urban.map.legend": {"cs": "Veřejný prostor", "en": "Public space"},
    "urban.map.chosen": {"cs": "Místo nového auditu", "en": "Place of the new audit"},
    "urban.links": {"cs": "Systém služeb a jejich provazby",
                    "en": "The system of services and their links"},
    "urban.links.none": {"cs": "Zatím žádná zaznamenaná spolupráce.",
                         "en": "No cooperation recorded yet."},
    "urban.links.from": {"cs": "Služba", "en": "Service"},
    "urban.links.to": {"cs": "Spolupracuje s / odkazuje na", "en": "Cooperates with / refers to"},
    "urban.links.kind": {"cs": "Druh provazby", "en": "Kind of link"},
    "urban.links.note": {"cs": "Poznámka", "en": "Note"},
    "urban.links.submit": {"cs": "Zaznamenat provazbu", "en": "Record link"},
    "urban.links.done": {"cs": "Provazba zaznamenána.", "en": "Link recorded."},
    "urban.links.alone": {"cs": "Bez provazby (chybí synergie): {names}",
                          "en": "Without links (missing synergies): {names}"},
    "urban.links.col.partners": {"cs": "Partnerů", "en": "Partners"},
    "urban.links.col.group": {"cs": "Skupina", "en": "Group"},
    "urban.audit": {"cs": "Bezpečnostní audit místa (CPTED)", "en": "Safety audit of a place "
                                                                   "(CPTED)"},
    "urban.audit.place": {"cs": "Místo auditu", "en": "Place of the audit"},
    "urban.audit.clicked": {"cs": "Kliknuté na mapě ({lat}, {lon})",
                            "en": "Clicked on the map ({lat}, {lon})"},
    "urban.audit.click_help": {"cs": "Vyberte horké místo ze seznamu, nebo klikněte do mapy "
                                     "nahoře.",
                               "en": "Choose a hotspot place from the list, or click the map "
                                     "above."},
    "urban.audit.label": {"cs": "Název místa", "en": "Place name"},
    "urban.audit.date": {"cs": "Datum", "en": "Date"},
    "urban.audit.note": {"cs": "Poznámka", "en": "Note"},
    "urban.audit.measures": {"cs": "Navazující opatření", "en": "Linked measures"},
    "urban.audit.submit": {"cs": "Uložit audit", "en": "Save audit"},
    "urban.audit.done": {"cs": "Audit uložen.", "en": "Audit saved."},
    "urban.audit.none": {"cs": "Zatím žádný audit.", "en": "No audit yet."},
    "urban.audit.scale": {"cs": "1 = špatné, 5 = dobré", "en": "1 = poor, 5 = good"},
    "urban.audit.no_place": {"cs": "Město nemá horká místa k auditu: klikněte do mapy nahoře.",
                             "en": "The town has no hotspot places to audit: click the map "
                                   "above."},
    "urban.audit.col.mean": {"cs": "Průměr", "en": "Mean"},
    "urban.audit.col.weakest": {"cs": "Nejslabší", "en": "Weakest"},
    "urban.as": {"cs": "Uloží se pod účtem {user} ({role}).", "en": "Saved as {user} ({role})."},
    "urban.error": {"cs": "Neuloženo: {problem}", "en": "Not saved: {problem}"},
    "urban.download.gpkg": {"cs": "Stáhnout vrstvy (GeoPackage pro QGIS)",
                            "en": "Download layers (GeoPackage for QGIS)"},
}
