"""Strings of the Hotspots page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nav.hotspots": {"cs": "Hotspoty", "en": "Hotspots"},
    "hotspots.title": {"cs": "Hotspoty strachu a kriminality – {town}",
                       "en": "Hotspots of fear and crime – {town}"},
    "hotspots.intro": {
        "cs": "Kde se lidé bojí, kde se páchá trestná činnost a co z toho plyne pro hlídky, "
              "úpravy veřejného prostoru a komunikaci. Město je rozděleno na šestiúhelníky; "
              "v každém se testuje, zda je v jeho okolí výrazně víc odpovědí (nebo skutků), "
              "než by odpovídalo náhodě (Getis-Ord Gi*, s opravou na mnohonásobné testování).",
        "en": "Where people are afraid, where crime happens, and what follows for patrols, "
              "public-space design and communication. The town is divided into hexagons; each "
              "is tested for significantly more answers (or offences) around it than chance "
              "would give (Getis-Ord Gi*, corrected for multiple testing).",
    },
    "hotspots.public_note": {
        "cs": "Veřejný pohled: citlivé kategorie (drogy, opilí lidé, stříkačky, exhibicionista, "
              "agresivní skupiny, rasismus) se započítávají jen v buňkách s alespoň {k} "
              "schválenými odpověďmi; přesné body se nezobrazují.",
        "en": "Public view: sensitive categories (drugs, drunk people, syringes, exhibitionist, "
              "aggressive groups, racism) count only in cells with at least {k} approved "
              "answers; exact points are never shown.",
    },
    "hotspots.layers": {"cs": "Vrstvy", "en": "Layers"},
    "hotspots.layer.fear": {"cs": "Strach (pocitová mapa)", "en": "Fear (feeling map)"},
    "hotspots.layer.crime": {"cs": "Kriminalita", "en": "Crime"},
    "hotspots.cell": {"cs": "Velikost buňky (m napříč)", "en": "Cell size (m across)"},
    "hotspots.confidence": {"cs": "Spolehlivost pro „hotspot“", "en": "Confidence for “hot”"},
    "hotspots.filters": {"cs": "Filtry odpovědí", "en": "Answer filters"},
    "hotspots.filter.category": {"cs": "Kategorie", "en": "Category"},
    "hotspots.filter.feeling": {"cs": "Pocit", "en": "Feeling"},
    "hotspots.filter.seen": {"cs": "Zkušenost", "en": "Experience"},
    "hotspots.filter.time": {"cs": "Denní doba", "en": "Time of day"},
    "hotspots.filter.age": {"cs": "Věková skupina", "en": "Age group"},
    "hotspots.filter.session": {"cs": "Mapovací setkání", "en": "Mapping session"},
    "hotspots.filter.dates": {"cs": "Období (od – do)", "en": "Period (from – to)"},
    "hotspots.filter.all": {"cs": "vše", "en": "all"},
    "hotspots.view": {"cs": "Zobrazit na mapě", "en": "Show on the map"},
    "hotspots.view.classes": {"cs": "Třídy Gi* (hot/cold spoty)",
                              "en": "Gi* classes (hot/cold spots)"},
    "hotspots.view.kde": {"cs": "Hustota (jádrový odhad)", "en": "Density (kernel estimate)"},
    "hotspots.view.fear_crime": {"cs": "Strach vs. kriminalita", "en": "Fear vs crime"},
    "hotspots.map_layer": {"cs": "Vrstva na mapě", "en": "Layer on the map"},
    "hotspots.computing": {"cs": "Počítám hotspoty…", "en": "Computing hotspots…"},
    "hotspots.error": {"cs": "Z tohoto výběru nelze hotspoty spočítat: {detail}",
                       "en": "No hotspot map from this selection: {detail}"},
    "hotspots.error.layer": {"cs": "Vrstvu „{layer}“ nelze spočítat: {detail}",
                             "en": "The layer “{layer}” cannot be computed: {detail}"},
    "hotspots.no_layer": {"cs": "Vyberte alespoň jednu vrstvu.",
                          "en": "Choose at least one layer."},
    "hotspots.metric.cells": {"cs": "Buněk", "en": "Cells"},
    "hotspots.metric.points": {"cs": "Odpovědí v analýze", "en": "Answers analysed"},
    "hotspots.metric.offences": {"cs": "Skutků v analýze", "en": "Offences analysed"},
    "hotspots.metric.hot": {"cs": "Hotspotů strachu (≥ {level} %)",
                            "en": "Fear hotspots (≥ {level} %)"},
    "hotspots.outside": {"cs": "{n} bodů leží mimo hranici obce a do analýzy nevstoupilo.",
                         "en": "{n} points lie outside the town boundary and were left out."},
    "hotspots.withheld": {
        "cs": "{n} odpovědí z citlivých kategorií leží v buňkách s méně než {k} takovými "
              "odpověďmi a ve veřejném pohledu se nezapočítávají.",
        "en": "{n} answers of sensitive categories lie in cells with fewer than {k} such "
              "answers and are left out of the public view.",
    },
    "hotspots.crime_index": {
        "cs": "Město nemá data o jednotlivých skutcích; kriminalitu zastupuje index "
              "kriminality obvodních oddělení PČR ({year}). „Vysoká“ znamená nad {value} "
              "trestných činů na 10 000 obyvatel (hodnota kraje). Je to hrubé měřítko pro "
              "celý obvod, ne hotspot.",
        "en": "The town has no offence-level data; crime is represented by the police "
              "districts' crime index ({year}). “High” means above {value} crimes per "
              "10,000 inhabitants (the region's value). This is a coarse district-wide "
              "measure, not a hotspot.",
    },
    "hotspots.table.class": {"cs": "Třída", "en": "Class"},
    "hotspots.table.cells": {"cs": "Buněk", "en": "Cells"},
    "hotspots.table.layer": {"cs": "Vrstva", "en": "Layer"},
    "hotspots.chart.title": {"cs": "Počet buněk podle třídy", "en": "Cells by class"},
    "hotspots.agreement": {"cs": "Shoda mapy strachu a kriminality",
                           "en": "Agreement of the fear and crime maps"},
    "hotspots.agreement.jaccard": {"cs": "Překryv hotspotů (Jaccard)",
                                   "en": "Hotspot overlap (Jaccard)"},
    "hotspots.agreement.share": {"cs": "Hotspoty strachu, kde je i kriminalita",
                                 "en": "Fear hotspots that are crime hotspots"},
    "hotspots.agreement.lee": {"cs": "Leeho L (p-hodnota)", "en": "Lee's L (p-value)"},
    "hotspots.agreement.help": {
        "cs": "Leeho L měří, jak se obě mapy prostorově podobají (−1 opačně, 0 nezávisle, "
              "1 stejně).",
        "en": "Lee's L measures how alike the two maps are in space (−1 opposite, "
              "0 unrelated, 1 the same).",
    },
    "hotspots.localities": {"cs": "Vyloučené lokality", "en": "Excluded localities"},
    "hotspots.localities.name": {"cs": "Lokalita", "en": "Locality"},
    "hotspots.localities.cells": {"cs": "Buněk", "en": "Cells"},
    "hotspots.localities.fear": {"cs": "Buněk s hotspotem strachu",
                                 "en": "Cells with fear hotspot"},
    "hotspots.localities.crime": {"cs": "Buněk s kriminalitou", "en": "Cells with crime"},
    "hotspots.localities.class": {"cs": "Strach vs. kriminalita", "en": "Fear vs crime"},
    "hotspots.legend": {"cs": "Hotspoty", "en": "Hotspots"},
    "hotspots.legend.kde": {"cs": "Hustota (odpovědí na km²)", "en": "Density (per km²)"},
    "hotspots.layer.boundary": {"cs": "Hranice obce", "en": "Municipality boundary"},
    "hotspots.explain": {"cs": "Co třídy znamenají", "en": "What the classes mean"},
    "hotspots.explain.method": {
        "cs": "Hustota je vyhlazený počet odpovědí na km². Třída Gi* říká, zda je okolí "
              "buňky (buňka a jejích šest sousedů) výrazně nad průměrem města (hotspot) nebo "
              "pod ním (coldspot) se spolehlivostí 90, 95 nebo 99 %, po opravě na "
              "mnohonásobné testování (Benjamini–Hochberg). V čistě náhodných datech tak "
              "hotspoty téměř nevznikají.",
        "en": "Density is the smoothed number of answers per km². The Gi* class says whether "
              "a cell's neighbourhood (the cell and its six neighbours) is significantly "
              "above the town average (hot spot) or below it (cold spot) at 90, 95 or 99 % "
              "confidence, corrected for multiple testing (Benjamini–Hochberg). Purely random "
              "data thus almost never show hotspots.",
    },
    "hotspots.explain.police": {"cs": "Pro policii a strážníky", "en": "For the police"},
    "hotspots.explain.urban": {"cs": "Pro urbanisty", "en": "For urbanists"},
    "hotspots.explain.community": {"cs": "Pro komunitní a terénní pracovníky",
                                   "en": "For community workers"},
    # --- Gi* classes (layers.hotspots.classes.CLASS_CODES) ---
    "hotspots.class.hot_99": {"cs": "Hotspot 99 %", "en": "Hot spot 99 %"},
    "hotspots.class.hot_95": {"cs": "Hotspot 95 %", "en": "Hot spot 95 %"},
    "hotspots.class.hot_90": {"cs": "Hotspot 90 %", "en": "Hot spot 90 %"},
    "hotspots.class.not_significant": {"cs": "Bez významného rozdílu",
                                       "en": "Not significant"},
    "hotspots.class.cold_90": {"cs": "Coldspot 90 %", "en": "Cold spot 90 %"},
    "hotspots.class.cold_95": {"cs": "Coldspot 95 %", "en": "Cold spot 95 %"},
    "hotspots.class.cold_99": {"cs": "Coldspot 99 %", "en": "Cold spot 99 %"},
    # --- fear vs crime (layers.hotspots.fear_crime) ---
    "hotspots.fc.patrol_situational": {"cs": "Strach i kriminalita",
                                       "en": "Fear and crime"},
    "hotspots.fc.design_communication": {"cs": "Strach bez kriminality",
                                         "en": "Fear without crime"},
    "hotspots.fc.hidden_risk": {"cs": "Kriminalita bez strachu", "en": "Crime without fear"},
    "hotspots.fc.neither": {"cs": "Ani jedno", "en": "Neither"},
    "hotspots.fc.unknown": {"cs": "Bez údajů o kriminalitě", "en": "No crime data"},
    "hotspots.fc.patrol_situational.police": {
        "cs": "Prioritní místo pro hlídky PČR a MP a asistenty prevence kriminality; "
              "sledujte denní dobu odpovědí.",
        "en": "Priority place for police and municipal police patrols and crime-prevention "
              "assistants; mind the time of day of the answers.",
    },
    "hotspots.fc.patrol_situational.urban": {
        "cs": "Situační prevence: osvětlení, průhlednost, kamerový systém, údržba.",
        "en": "Situational prevention: lighting, sight lines, CCTV, maintenance.",
    },
    "hotspots.fc.patrol_situational.community": {
        "cs": "Spolupráce s policií, streetwork, informovat obyvatele, co se dělá.",
        "en": "Work with the police, street work, tell residents what is being done.",
    },
    "hotspots.fc.design_communication.police": {
        "cs": "Hlídky samy kriminalitu nesníží; přítomnost a rozhovor mohou snížit strach.",
        "en": "Patrols will not reduce crime here; presence and talking can reduce fear.",
    },
    "hotspots.fc.design_communication.urban": {
        "cs": "Úprava místa: světlo, zeleň, údržba, opuštěné budovy, místo pro mládež.",
        "en": "Fix the place: light, greenery, upkeep, abandoned buildings, a youth space.",
    },
    "hotspots.fc.design_communication.community": {
        "cs": "Komunikace a osvěta: obavy bez opory v kriminalitě („objektivně "
              "nepodložené“) řešit informováním a společnými akcemi.",
        "en": "Communication: address fears without support in recorded crime "
              "(“objectively unfounded”) by information and joint activities.",
    },
    "hotspots.fc.hidden_risk.police": {
        "cs": "Skryté riziko: lidé o něm nevědí; zvažte cílenou kontrolu a varování.",
        "en": "Hidden risk: people are unaware; consider targeted checks and warnings.",
    },
    "hotspots.fc.hidden_risk.urban": {
        "cs": "Prověřit, proč místo působí bezpečně, ač není (např. noční provoz).",
        "en": "Check why the place feels safe though it is not (e.g. night-time use).",
    },
    "hotspots.fc.hidden_risk.community": {
        "cs": "Informovat ohrožené skupiny (děti, senioři) o rizicích místa.",
        "en": "Tell groups at risk (children, seniors) about the place's risks.",
    },
    # --- pin vocabularies used by the filters (layers.schema) ---
}
