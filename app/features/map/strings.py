"""Strings of the Map page, its side panel, its map and its exact-pins toggle."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "map.title": {"cs": "Mapa bezpečí – {town}", "en": "Safety map – {town}"},
    "map.intro": {
        "cs": "Sociálně vyloučené lokality, pocitová mapa, služby a index kriminality na jedné "
              "mapě. Klikněte na lokalitu nebo obvod policie pro podrobnosti.",
        "en": "Socially excluded localities, the feeling map, services and the crime index on "
              "one map. Click a locality or a police district for details.",
    },
    "map.basemap.osm": {"cs": "Podkladová mapa OpenStreetMap (vyžaduje internet)",
                        "en": "OpenStreetMap base map (needs internet)"},
    "map.basemap.help": {
        "cs": "Bez internetu (např. v komunitním centru) nechte vypnuté: mapa pak ukáže jen "
              "vlastní vrstvy na prázdném podkladu.",
        "en": "Leave it off without internet (e.g. in a community centre): the map then shows "
              "only its own layers on a blank background.",
    },
    "map.counts": {
        "cs": "{town}: {localities} lokalit, {pins} veřejných odpovědí pocitové mapy, "
              "{services} služeb, {districts} obvodů policie",
        "en": "{town}: {localities} localities, {pins} public feeling-map answers, "
              "{services} services, {districts} police districts",
    },
    "map.metric.localities": {"cs": "Vyloučené lokality", "en": "Excluded localities"},
    "map.metric.pins": {"cs": "Odpovědi (veřejně)", "en": "Answers (public)"},
    "map.metric.services": {"cs": "Služby", "en": "Services"},
    "map.metric.districts": {"cs": "Obvody policie", "en": "Police districts"},
    # --- layer names (also shown in the layer control) ---
    "map.layer.boundary": {"cs": "Hranice obce", "en": "Municipality boundary"},
    "map.layer.localities": {"cs": "Sociálně vyloučené lokality",
                             "en": "Socially excluded localities"},
    "map.layer.pins": {"cs": "Pocitová mapa", "en": "Feeling map"},
    "map.layer.pin_cells": {"cs": "Pocitová mapa: citlivá místa (souhrnně)",
                            "en": "Feeling map: sensitive places (aggregated)"},
    "map.layer.services": {"cs": "Služby", "en": "Services"},
    "map.layer.districts": {"cs": "Index kriminality (obvody PČR)",
                            "en": "Crime index (police districts)"},
    "map.layer.context": {"cs": "Silnice, železnice, řeky", "en": "Roads, railways, rivers"},
    "map.layer.osm": {"cs": "OpenStreetMap", "en": "OpenStreetMap"},
    "map.synthetic_suffix": {"cs": "{name} (ilustrativní data)",
                             "en": "{name} (illustrative data)"},
    # --- legend ---
    "map.legend.title": {"cs": "Legenda", "en": "Legend"},
    "map.legend.isv": {"cs": "Index sociálního vyloučení (body)",
                       "en": "Social-exclusion index (points)"},
    "map.legend.crime": {"cs": "Trestné činy na 10 000 obyvatel ({year})",
                         "en": "Crimes per 10,000 inhabitants ({year})"},
    "map.legend.crime_baseline": {
        "cs": "Třídy podle srovnání: {area} {year} = {value} (75 %, 100 %, 125 %, 150 %).",
        "en": "Classes relative to {area} {year} = {value} (75%, 100%, 125%, 150%).",
    },
    "map.legend.crime_equal": {"cs": "Třídy stejné šíře mezi nejnižší a nejvyšší hodnotou.",
                               "en": "Equal-width classes between the lowest and highest value."},
    "map.legend.no_figure": {"cs": "bez údaje", "en": "no figure"},
    "map.legend.cells": {"cs": "Souhrn citlivých odpovědí (≥ {k} v buňce {cell} m)",
                         "en": "Sensitive answers combined (≥ {k} per {cell} m cell)"},
    "map.legend.pins_note": {
        "cs": "Čísla v kruzích = počet odpovědí. Citlivé kategorie (drogy, agresivní skupiny…) "
              "se veřejně ukazují jen souhrnně.",
        "en": "Numbers in circles = number of answers. Sensitive categories (drugs, aggressive "
              "groups…) are shown publicly only combined.",
    },
    "map.legend.pins_note_exact": {
        "cs": "Čísla v kruzích = počet odpovědí. Neveřejný pohled: přesná místa včetně citlivých "
              "kategorií; jeho zobrazení se zapisuje do auditního záznamu.",
        "en": "Numbers in circles = number of answers. Not public: exact places including "
              "sensitive categories; showing them is written to the audit log.",
    },
    # --- popups ---
    "map.popup.name": {"cs": "Název", "en": "Name"},
    "map.popup.population": {"cs": "Obyvatel (odhad)", "en": "Population (estimate)"},
    "map.popup.isv": {"cs": "Index soc. vyloučení", "en": "Social-exclusion index"},
    "map.popup.band": {"cs": "Pásmo", "en": "Band"},
    "map.popup.district": {"cs": "Obvodní oddělení", "en": "Police department"},
    "map.popup.district_population": {"cs": "Obyvatel obvodu", "en": "Residents of the area"},
    "map.popup.crimes": {"cs": "Trestné činy ({year})", "en": "Crimes ({year})"},
    "map.popup.per_10k": {"cs": "Na 10 000 obyvatel", "en": "Per 10,000 inhabitants"},
    "map.popup.count": {"cs": "Počet odpovědí", "en": "Number of answers"},
    "map.popup.categories": {"cs": "Kategorie", "en": "Categories"},
    "map.popup.fewer": {"cs": "méně než {k}", "en": "fewer than {k}"},
    "map.popup.type": {"cs": "Typ", "en": "Type"},
    "map.popup.operator": {"cs": "Provozovatel", "en": "Operator"},
    "map.popup.target_groups": {"cs": "Pro koho", "en": "Target groups"},
    "map.popup.opening_hours": {"cs": "Otevřeno", "en": "Opening hours"},
    "map.popup.address": {"cs": "Adresa", "en": "Address"},
    # --- side panel ---
    "map.panel.hint": {"cs": "Klikněte na mapě na vyloučenou lokalitu nebo obvod policie.",
                       "en": "Click an excluded locality or a police district on the map."},
    "map.panel.locality": {"cs": "Vyloučená lokalita", "en": "Excluded locality"},
    "map.panel.district": {"cs": "Obvod policie", "en": "Police district"},
    "map.panel.population": {"cs": "Obyvatel (odhad): {value}",
                             "en": "Population (estimate): {value}"},
    "map.panel.isv": {"cs": "Index sociálního vyloučení: {value} bodů ({band})",
                      "en": "Social-exclusion index: {value} points ({band})"},
    "map.panel.district_population": {"cs": "Obyvatel obvodu: {value}; rozloha {area} km²",
                                      "en": "Residents: {value}; area {area} km²"},
    "map.panel.pins": {"cs": "Pocitová mapa uvnitř", "en": "Feeling map inside"},
    "map.panel.pins_total": {"cs": "Schválené odpovědi uvnitř: {n}",
                             "en": "Approved answers inside: {n}"},
    "map.panel.no_pins": {"cs": "Žádné schválené odpovědi.", "en": "No approved answers."},
    "map.panel.suppressed": {"cs": "méně než {k} (neukazuje se přesně)",
                             "en": "fewer than {k} (not shown exactly)"},
    "map.panel.category": {"cs": "Kategorie", "en": "Category"},
    "map.panel.count": {"cs": "Počet", "en": "Count"},
    "map.panel.services": {"cs": "Služby", "en": "Services"},
    "map.panel.services_inside": {"cs": "Uvnitř: {n}", "en": "Inside: {n}"},
    "map.panel.services_near": {"cs": "Do {m} m od hranice: {n}",
                                "en": "Within {m} m of the edge: {n}"},
    "map.panel.service_row": {"cs": "{name}", "en": "{name}"},
    "map.panel.service_row_near": {"cs": "{name}, {distance} m", "en": "{name}, {distance} m"},
    "map.panel.service_row_typed": {"cs": "{name} – {type}", "en": "{name} – {type}"},
    "map.panel.service_row_typed_near": {"cs": "{name} – {type}, {distance} m",
                                         "en": "{name} – {type}, {distance} m"},
    "map.panel.none": {"cs": "žádné", "en": "none"},
    "map.panel.crime": {"cs": "Index kriminality", "en": "Crime index"},
    "map.panel.crime_unit": {"cs": "Trestné činy na 10 000 obyvatel.",
                             "en": "Crimes per 10,000 inhabitants."},
    "map.panel.crime_label": {"cs": "{district} ({year})", "en": "{district} ({year})"},
    "map.panel.crime_delta": {"cs": "{delta} oproti: {area} {year}",
                              "en": "{delta} vs {area} {year}"},
    "map.panel.crime_districts": {
        "cs": "Lokalita leží v obvodu: {district}.", "en": "The locality lies in: {district}.",
    },
    "map.panel.crime_reference": {"cs": "Srovnání – {area} {year}: {value}",
                                  "en": "Compare – {area} {year}: {value}"},
    "map.panel.crime_none": {"cs": "Pro tento obvod nejsou údaje.",
                             "en": "No figures for this district."},
    "map.panel.goals": {"cs": "Cíle a opatření", "en": "Goals and measures"},
    # --- sources expander ---
    "map.sources": {"cs": "Zdroje dat a licence", "en": "Data sources and licences"},
    "map.sources.layer": {"cs": "Vrstva", "en": "Layer"},
    "map.sources.title": {"cs": "Název", "en": "Title"},
    "map.sources.licence": {"cs": "Licence", "en": "Licence"},
    "map.sources.attribution": {"cs": "Uvedení zdroje", "en": "Attribution"},
    "map.sources.vintage": {"cs": "Stav k", "en": "Vintage"},
    "map.sources.synthetic": {"cs": "Ilustrativní data", "en": "Illustrative data"},
    "map.sources.osm": {
        "cs": "Podkladová mapa OpenStreetMap: © přispěvatelé OpenStreetMap (ODbL).",
        "en": "OpenStreetMap base map: © OpenStreetMap contributors (ODbL).",
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
}
