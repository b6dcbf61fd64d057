"""The content of the yearly security analysis, in Czech, after the ministry's methodology
for municipal security analyses: 1 the area, 2 crime, 3 fear, 4 services and coverage,
5 measures, 6 conclusions and recommendations (headings with the figures that matter, the
text left for the prevention manager).

Everything is read from the store and reused from the layers that compute it (crime over
the years, hot spots, emerging hot spots, accessibility, the strategies); nothing is
estimated. Figures from layers marked synthetic are said to be illustrative. Sensitive
fear categories are counted as elsewhere in public views: fewer than ``k`` answers are
written as "méně než k".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.analysis.document import Document, Heading, Paragraph, Picture, Table
from layers.analysis.figures import (
    cs_number,
    emerging_map,
    heat_chart,
    hotspot_map,
    month_chart,
    trend_chart,
)
from layers.area_figures import AreaCrime, area_crime, exclusion_figure, figure_lines
from layers.crime_years import hour_weekday, month_counts
from layers.errors import InvalidInput, MapaError, NotFound
from layers.hotspots.analysis import HotspotRequest, run_hotspots
from layers.hotspots.privacy import DEFAULT_K
from layers.schema import (
    CONTEXT_LINES,
    LOCALITIES,
    PINS,
    SENSITIVE_CATEGORIES,
    SERVICES,
    SESSIONS,
    SOURCES,
    STREET_EDGES,
    TOWNS,
)
from layers.store import Store
from layers.strategy.area import load_area
from layers.strategy.report import CHANGE_LABELS, DIRECTION_LABELS
from layers.town_names import resolve_town
from layers.urban.accessibility import SERVICE_GROUPS, town_accessibility
from layers.vocabulary import (
    AGE_GROUP,
    CRIME_TYPE,
    EMERGING_PATTERN,
    MEASURE_STATUS,
    PIN_CATEGORY,
    SERVICE_TYPE,
)

#: The six chapters, in order.
CHAPTERS: Final = ("1. Území", "2. Kriminalita", "3. Obavy a pocit bezpečí",
                   "4. Služby a jejich dostupnost", "5. Opatření a jejich hodnocení",
                   "6. Závěry a doporučení")
#: Years of crime shown at least (where the store holds them).
TREND_YEARS: Final = 5
FOR_MANAGER: Final = "[Doplní manažer prevence kriminality.]"
SERVICE_GROUPS_CS: Final = {"nzdm": "NZDM", "community_centre": "komunitní centrum",
                            "playground": "hřiště", "police": "policie",
                            "social": "sociální služby"}


@dataclass(frozen=True)
class AreaChoice:
    """The town (and locality) an ``--area`` names, with their names."""

    town_id: str
    locality_id: str | None
    town_name: str
    locality_name: str | None

    @property
    def name(self) -> str:
        """The area as people name it ("Litvínov – Janov")."""
        return f"{self.town_name} – {self.locality_name}" if self.locality_name \
            else self.town_name


def resolve_area(store: Store, given: str) -> AreaChoice:
    """The town named by ``given`` (id or name), else the locality with that id or name in
    any town. Raises ``NotFound`` when neither exists."""
    try:
        town_id = resolve_town(store, given)
    except NotFound:
        localities = store.read(LOCALITIES)
        match = localities[(localities["locality_id"].astype(str) == given)
                           | (localities["name"].astype(str).str.casefold()
                              == given.casefold())]
        if match.empty:
            raise
        row = match.iloc[0]
        town = store.read(TOWNS, str(row["town_id"])).iloc[0]
        return AreaChoice(str(row["town_id"]), str(row["locality_id"]), str(town["name"]),
                          str(row["name"]))
    town = store.read(TOWNS, town_id).iloc[0]
    return AreaChoice(town_id, None, str(town["name"]), None)


def build_analysis(store: Store, area: AreaChoice, year: int) -> Document:
    """The analysis of ``area`` for ``year``. Raises ``NoCrimeYear`` (naming the years there
    are) when the area has no crime figures in ``year``."""
    crime = area_crime(store, area.town_id, area.locality_id)
    crime.years.check_year(year)
    doc = Document(f"Bezpečnostní analýza: {area.name}", f"Rok {year}")
    synthetic = _synthetic_layers(store)
    if synthetic:
        doc.add(Paragraph("Ilustrativní data: vrstvy " + ", ".join(sorted(synthetic))
                          + " jsou ukázkové (vygenerované), ne skutečné údaje. Údaje z nich "
                            "jsou v textu označeny.", note=True))
    _area(doc, store, area, synthetic)
    _crime(doc, store, area, crime, year)
    fear = _fear(doc, store, area, year, "sessions" in synthetic or "pins" in synthetic)
    white = _services(doc, store, area, "services" in synthetic)
    indicators = _measures(doc, store, area)
    _conclusions(doc, crime, year, fear, white, indicators)
    return doc


def _synthetic_layers(store: Store) -> set[str]:
    sources = store.read(SOURCES)
    return set(sources.loc[sources["synthetic"].fillna(False).astype(bool), "layer"])


def _area(doc: Document, store: Store, area: AreaChoice, synthetic: set[str]) -> None:
    town = store.read(TOWNS, area.town_id).iloc[0]
    doc.add(Heading(CHAPTERS[0]))
    population = f"{cs_number(float(town['population']))} ({int(town['population_year'])})" \
        if pd.notna(town["population"]) else "neuveden"
    doc.add(Paragraph(f"Obec {area.town_name}, {town['okres']}, {town['kraj']}. Počet "
                      f"obyvatel: {population}. Změnu počtu obyvatel nelze uvést: úložiště "
                      "má údaj jen za jeden rok."))
    exclusion = exclusion_figure(store, area.town_id, locality=area.locality_id is not None)
    for line in figure_lines(exclusion, None, (), area.town_name, area.locality_name):
        doc.add(Paragraph(line))
    localities = store.read(LOCALITIES, area.town_id)
    if len(localities):
        mark = " (ilustrativní vymezení)" if "localities" in synthetic else ""
        doc.add(Table(f"Sociálně vyloučené lokality{mark}", ("lokalita", "rozloha (ha)"),
                      tuple((str(r["name"]), cs_number(float(r["area_ha"]), 1))
                            for _, r in _with_area(localities).iterrows())))
    services = store.read(SERVICES, area.town_id)
    if len(services):
        counts = services["service_type"].value_counts()
        mark = " (ilustrativní)" if "services" in synthetic else ""
        doc.add(Table(f"Služby v obci podle druhu{mark}", ("druh služby", "počet"),
                      tuple((SERVICE_TYPE.label(code, "cs"), cs_number(float(n)))
                            for code, n in counts.items())))


def _with_area(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    out["area_ha"] = frame.to_crs("EPSG:5514").area / 10_000
    return out


def _crime(doc: Document, store: Store, area: AreaChoice, crime: AreaCrime, year: int) -> None:
    doc.add(Heading(CHAPTERS[1]))
    if crime.illustrative:
        doc.add(Paragraph("Údaje o kriminalitě jsou ilustrativní.", note=True))
    years = [y for y in crime.years.years if y <= year][-max(TREND_YEARS, 1):]
    if len(years) < TREND_YEARS:
        doc.add(Paragraph(f"Úložiště má údaje jen za {len(years)} "
                          f"{'rok' if len(years) == 1 else 'roky' if len(years) < 5 else 'let'}"
                          f" do roku {year} (metodika doporučuje alespoň {TREND_YEARS}).",
                          note=True))
    trend = crime.years.trend("total")
    shown = trend[(trend["year"] <= year) & ((trend["level"].isin(["region", "country"]))
                                              | trend["year"].isin(years))]
    doc.add(Heading("Vývoj počtu trestných činů a indexu kriminality", 2))
    doc.add(Table("Celková kriminalita podle let (index = trestné činy na 10 000 obyvatel)",
                  ("území", "rok", "počet", "index", "objasněno"),
                  tuple((str(r["area"]), str(int(r["year"])), cs_number(r["found"]),
                         cs_number(r["per_10k"], 1), _share(r["solved_share"]))
                        for _, r in shown.iterrows())))
    doc.add(Picture("Index kriminality podle let", trend_chart(
        shown, f"Index kriminality – {area.name} a srovnání")))
    doc.add(Paragraph("Zdroje: " + "; ".join(sorted(set(shown["source"].astype(str))))
                      + ".", note=True))
    doc.add(Heading(f"Kategorie trestných činů v roce {year}", 2))
    table = crime.years.categories(year)
    columns = list(dict.fromkeys(c[0] for c in table.columns))
    header = ("kategorie (TSK)", *(f"{c}: počet / index / objasněno" for c in columns))
    doc.add(Table(f"Kategorie v roce {year} proti kraji a ČR (rok srovnání v závorce)", header,
                  tuple((CRIME_TYPE.label(code, "cs"), *(
                      f"{cs_number(table.loc[code, (c, 'found')])} / "
                      f"{cs_number(table.loc[code, (c, 'per_10k')], 1)} / "
                      f"{_share(table.loc[code, (c, 'solved_share')])}" for c in columns))
                        for code in table.index)))
    _where(doc, store, area, year)
    _when(doc, crime, year)


def _share(value: float) -> str:
    return "–" if value != value else f"{cs_number(100 * value, 1)} %"


def _base_layers(store: Store, town_id: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame,
                                                      gpd.GeoDataFrame]:
    boundary = store.read(TOWNS, town_id)
    streets = store.read(STREET_EDGES, town_id) if STREET_EDGES.name in store.layer_names() \
        else gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    return boundary, streets, store.read(CONTEXT_LINES, town_id)


def _where(doc: Document, store: Store, area: AreaChoice, year: int) -> None:
    """Hot spots and emerging hot spots, as maps (a note where they cannot be computed)."""
    from layers.hotspots.emerging import town_emerging

    doc.add(Heading("Kde: ohniska", 2))
    boundary, streets, context = _base_layers(store, area.town_id)
    try:
        report = run_hotspots(store, HotspotRequest(town_id=area.town_id, public=True,
                                                    lee_permutations=0), layer="crime")
    except MapaError as exc:
        doc.add(Paragraph(f"Ohniska nelze spočítat: {exc.message('cs')}", note=True))
    else:
        doc.add(Picture("Ohniska trestné činnosti a strachu (Gi*, šestiúhelníková síť, všechny "
                        "roky)", hotspot_map(boundary, streets, context, report.cells,
                                             f"Ohniska – {area.town_name}")))
    try:
        emerging = town_emerging(store, area.town_id, period="year")
    except (MapaError, ValueError) as exc:
        reason = exc.message("cs") if isinstance(exc, MapaError) else str(exc)
        doc.add(Paragraph(f"Vznikající ohniska nelze spočítat: {reason}", note=True))
        return
    labels = EMERGING_PATTERN.labels("cs")
    doc.add(Picture("Vznikající ohniska trestné činnosti (trend Gi* po letech, Mann–Kendall)",
                    emerging_map(boundary, streets, context, emerging.cells, labels,
                                 f"Vznikající ohniska – {area.town_name}")))
    counts = emerging.cells["pattern"].value_counts()
    doc.add(Table("Buňky podle vývoje ohniska", ("vývoj", "buněk"),
                  tuple((labels.get(str(p), str(p)), cs_number(float(n)))
                        for p, n in counts.items() if p != "no_pattern")))


def _when(doc: Document, crime: AreaCrime, year: int) -> None:
    doc.add(Heading("Kdy: hodina, den v týdnu, měsíc", 2))
    offences = crime.offences
    heat = hour_weekday(offences, year)
    if int(heat.to_numpy().sum()) == 0:
        doc.add(Paragraph(f"Pro rok {year} nejsou v úložišti skutky s časem spáchání.",
                          note=True))
    else:
        days = ("pondělí", "úterý", "středa", "čtvrtek", "pátek", "sobota", "neděle")
        counts = heat.to_numpy()
        doc.add(Table(f"Skutky s časem spáchání v roce {year} podle dne a části dne",
                      ("den", *(f"{h:02d}–{h + 5:02d} h" for h in range(0, 24, 6)), "celkem"),
                      tuple((days[d], *(cs_number(float(counts[d, h:h + 6].sum()))
                                        for h in range(0, 24, 6)),
                             cs_number(float(counts[d].sum()))) for d in range(7))))
        doc.add(Picture(f"Skutky podle dne v týdnu a hodiny ({year})",
                        heat_chart(heat, f"Den v týdnu × hodina, {year}")))
    months = month_counts(offences, year)
    if months.sum():
        doc.add(Picture(f"Skutky podle měsíce ({year})",
                        month_chart(months, f"Skutky podle měsíce, {year}")))


@dataclass(frozen=True)
class FearSummary:
    """The year's mapping sessions and answers (for the conclusions)."""

    sessions: int
    answers: int
    previous: int | None


def _fear(doc: Document, store: Store, area: AreaChoice, year: int,
          illustrative: bool) -> FearSummary:
    doc.add(Heading(CHAPTERS[2]))
    if illustrative:
        doc.add(Paragraph("Data z mapování jsou ilustrativní.", note=True))
    sessions = store.read(SESSIONS, area.town_id) if SESSIONS.name in store.layer_names() \
        else pd.DataFrame(columns=list(SESSIONS.columns))
    dated = sessions.assign(year=pd.to_datetime(sessions["date"], errors="coerce").dt.year)
    mine = dated[dated["year"] == year]
    earlier = dated[dated["year"] < year]
    pins = store.read(PINS, area.town_id)
    pins = pins[pins["status"].astype(str) == "approved"]
    if area.locality_id is not None:
        shape = store.read(LOCALITIES, area.town_id)
        shape = shape[shape["locality_id"] == area.locality_id]
        pins = pins[pins.geometry.within(shape.geometry.iloc[0])]
    if mine.empty:
        years = sorted({int(y) for y in dated["year"].dropna()})
        doc.add(Paragraph(f"V roce {year} neproběhlo žádné mapování pocitu bezpečí"
                          + (f" (mapování proběhla v letech {', '.join(map(str, years))})."
                             if years else ".")))
        return FearSummary(0, 0, None)
    doc.add(Table(f"Mapování v roce {year}", ("datum", "místo", "pořadatel", "kdo odpovídal",
                                              "účastníků", "počet odpovědí"),
                  tuple((str(r["date"]), str(r["place"]), str(r["organiser"]),
                         AGE_GROUP.label(str(r["age_group"]), "cs"),
                         cs_number(float(r["participants"])),
                         cs_number(float((pins["session_id"] == r["session_id"]).sum())))
                        for _, r in mine.sort_values("date").iterrows())))
    now = pins[pins["session_id"].isin(mine["session_id"])]
    before_ids = earlier.sort_values("date")["session_id"].tolist()
    last = earlier[earlier["year"] == earlier["year"].max()] if len(before_ids) else earlier
    before = pins[pins["session_id"].isin(last["session_id"])]
    previous_year = int(last["year"].max()) if len(last) else None
    codes = list(dict.fromkeys([*now["category"], *before["category"]]))
    header = ("co odpovídající označili", f"{year}",
              *((f"{previous_year}", "změna") if previous_year else ()))
    rows = []
    for code in codes:
        n, m = int((now["category"] == code).sum()), int((before["category"] == code).sum())
        row = [PIN_CATEGORY.label(str(code), "cs"), _count(code, n)]
        if previous_year:
            hidden = code in SENSITIVE_CATEGORIES and min(n, m) < DEFAULT_K
            row += [_count(code, m), "–" if hidden else f"{n - m:+d}"]
        rows.append(tuple(row))
    doc.add(Table("Odpovědi podle druhu" + (f" proti poslednímu kolu ({previous_year})"
                                            if previous_year else ""), header, tuple(rows)))
    return FearSummary(len(mine), len(now), len(before) if previous_year else None)


def _count(code: object, n: int) -> str:
    """A count of answers, a sensitive category under the k-rule as "méně než k"."""
    return f"méně než {DEFAULT_K}" if code in SENSITIVE_CATEGORIES and 0 < n < DEFAULT_K \
        else cs_number(float(n))


def _services(doc: Document, store: Store, area: AreaChoice, illustrative: bool) -> int:
    doc.add(Heading(CHAPTERS[3]))
    if illustrative:
        doc.add(Paragraph("Seznam služeb je ilustrativní.", note=True))
    access = town_accessibility(store, area.town_id)
    table = access.table
    localities = table[table["origin_kind"] == "locality"]
    groups = list(SERVICE_GROUPS)
    doc.add(Paragraph(f"Vzdálenost vzdušnou čarou k nejbližší službě každého druhu; bílé místo "
                      f"= žádná služba druhu do {cs_number(access.distance_m)} m."))
    if len(localities):
        doc.add(Table("Vzdálenost z lokalit k nejbližší službě (m)",
                      ("lokalita", *(SERVICE_GROUPS_CS[g] for g in groups), "chybí do limitu"),
                      tuple((str(r["name"]), *(_metres(r[f"dist_{g}"]) for g in groups),
                             ", ".join(SERVICE_GROUPS_CS[g] for g in groups
                                       if r[f"white_{g}"]) or "nic")
                            for _, r in localities.iterrows())))
    white = access.white_spots
    cells = white[white["origin_kind"] == "cell"]
    doc.add(Paragraph(f"Bílá místa: {cs_number(float(len(white)))} míst (z toho "
                      f"{cs_number(float(len(cells)))} ohnisek) nemá v dosahu alespoň jeden "
                      "druh služby."))
    return len(white)


def _metres(value: float) -> str:
    return "žádná v obci" if not np.isfinite(value) else cs_number(value)


def _measures(doc: Document, store: Store, area: AreaChoice) -> pd.DataFrame:
    doc.add(Heading(CHAPTERS[4]))
    view = load_area(store, area.town_id, area.locality_id)
    measures = [m for item in view.strategies for m in item.strategy.measures]
    if measures:
        doc.add(Table("Opatření podle stavu", ("stav", "počet"),
                      tuple((MEASURE_STATUS.label(s, "cs"), cs_number(float(n))) for s, n in
                            pd.Series([m.status for m in measures]).value_counts().items())))
    indicators = view.indicators
    if len(indicators):
        doc.add(Table("Ukazatele: výchozí a poslední hodnota, směr a změna",
                      ("ukazatel", "směr", "výchozí", "poslední", "změna"),
                      tuple((str(r["name"]), DIRECTION_LABELS.get(str(r["direction"]), "–"),
                             _value(r["baseline"], r["unit"], r["baseline_date"]),
                             _value(r["latest"], r["unit"], r["latest_date"]),
                             f"{r['arrow']} {CHANGE_LABELS.get(str(r['change']), '')}")
                            for _, r in indicators.iterrows())))
    else:
        doc.add(Paragraph("Území nemá v úložišti strategii s ukazateli."))
    evaluations = [(e, item.strategy.title) for item in view.strategies
                   for e in item.strategy.evaluations]
    if evaluations:
        doc.add(Heading("Hodnocení", 2))
        for evaluation, title in evaluations:
            when = f" ({evaluation.date})" if evaluation.date else ""
            doc.add(Paragraph(f"{title}{when}: {evaluation.text}"))
    return indicators


def _value(value: object, unit: object, date: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    text = f"{value} {unit or ''}".strip()
    return f"{text} ({date})" if date else text


def _conclusions(doc: Document, crime: AreaCrime, year: int, fear: FearSummary, white: int,
                 indicators: pd.DataFrame) -> None:
    doc.add(Heading(CHAPTERS[5]))
    for heading in _key_figures(crime, year, fear, white, indicators):
        doc.add(Heading(heading, 2), Paragraph(FOR_MANAGER, note=True))
    doc.add(Heading("Doporučení", 2), Paragraph(FOR_MANAGER, note=True))


def _key_figures(crime: AreaCrime, year: int, fear: FearSummary, white: int,
                 indicators: pd.DataFrame) -> Iterable[str]:
    areas = crime.years.areas
    total = areas[(areas["crime_type"] == "total")]
    for name, rows in total.groupby("area", sort=False):
        now = rows[rows["year"] == year]
        if now.empty:
            continue
        before = rows[rows["year"] < year].sort_values("year")
        text = f"Kriminalita {year} ({name}): {cs_number(float(now['found'].iloc[0]))} skutků"
        if pd.notna(now["per_10k"].iloc[0]):
            text += f", index {cs_number(float(now['per_10k'].iloc[0]), 1)}"
        if len(before):
            text += (f" (v roce {int(before['year'].iloc[-1])}: "
                     f"{cs_number(float(before['found'].iloc[-1]))})")
        yield text
    answers = f"Obavy: {fear.sessions} mapování, {cs_number(float(fear.answers))} odpovědí"
    if fear.previous is not None:
        answers += f" (poslední předchozí kolo: {cs_number(float(fear.previous))})"
    yield answers
    yield f"Služby: {cs_number(float(white))} bílých míst"
    if len(indicators):
        worse = int((indicators["change"] == "worse").sum())
        better = int((indicators["change"] == "better").sum())
        yield f"Opatření: {better} ukazatelů se zlepšilo, {worse} zhoršilo"


def check_format(suffix: str, formats: tuple[str, ...]) -> None:
    """Raise ``InvalidInput`` ("analysis.format") when ``suffix`` is not one of ``formats``."""
    if suffix.lower() not in formats:
        raise InvalidInput("analysis.format", suffix=suffix or "(žádná přípona)",
                           formats=", ".join(formats))
