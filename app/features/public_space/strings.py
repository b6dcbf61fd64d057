"""Strings of the Public space page (accessibility, audits, service links)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nav.urban": {"cs": "Veřejný prostor", "en": "Public space"},
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
