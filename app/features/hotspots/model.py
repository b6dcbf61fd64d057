"""What the Hotspots page shows of a hotspot report (no Streamlit here): its figures, the cells
per class as a table and a chart, the localities, and what each class means."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from app.features.hotspots.map import CLASS_COLOURS, FEAR_CRIME_COLOURS
from app.ui.i18n import label, number, translate
from layers.hotspots.analysis import HotspotReport
from layers.hotspots.classes import CLASS_CODES, min_bin
from layers.hotspots.fear_crime import BOTH, CRIME_ONLY, FEAR_CRIME_CLASSES, FEAR_ONLY, NEITHER
from layers.vocabulary import EMERGING_EXPLANATION, EMERGING_PATTERN, LANGUAGES


def class_table(report: HotspotReport, layers: tuple[str, ...], lang: str) -> pd.DataFrame:
    """Cells per Gi* class of each of ``layers`` and, when both fear and crime are among them,
    per fear-vs-crime class: columns layer, code, label, cells."""
    rows: list[dict[str, object]] = []
    for layer in layers:
        column = f"{layer}_class"
        if column not in report.cells:
            continue
        counts = report.cells[column].value_counts()
        for code in CLASS_CODES.values():
            rows.append({"layer": translate(f"hotspots.layer.{layer}", lang), "code": code,
                         "label": label("hotspots.class", code, lang),
                         "cells": int(counts.get(code, 0))})
    if not {"fear", "crime"} <= set(layers):
        return pd.DataFrame(rows, columns=["layer", "code", "label", "cells"])
    counts = report.cells["fear_crime"].value_counts()
    for code in FEAR_CRIME_CLASSES:
        rows.append({"layer": translate("hotspots.view.fear_crime", lang), "code": code,
                     "label": label("hotspots.fc", code, lang),
                     "cells": int(counts.get(code, 0))})
    return pd.DataFrame(rows, columns=["layer", "code", "label", "cells"])


#: Hot cells the page names in its table, hottest first.
HOT_ROWS = 15


def hottest_cells(report: HotspotReport, layer: str, confidence: float,
                  limit: int = HOT_ROWS) -> list[int]:
    """Row positions of the ``layer``'s hot cells at ``confidence`` (Gi* bin), highest
    z-score first, at most ``limit``; none when the layer has no Gi* classes."""
    cells = report.cells
    if f"{layer}_bin" not in cells:
        return []
    hot = np.flatnonzero(cells[f"{layer}_bin"].to_numpy(dtype=float) >= min_bin(confidence))
    z = cells[f"{layer}_z"].to_numpy(dtype=float)[hot]
    return [int(i) for i in hot[np.argsort(-z, kind="stable")][:limit]]


def hot_places_table(report: HotspotReport, layer: str, rows: list[int], named: pd.DataFrame,
                     lang: str) -> pd.DataFrame:
    """The hot cells ``rows`` explained in ``lang``: the place (nearest address, stop or part
    of town), the Gi* class, the density, and the nearest public-transport stop with its
    distance (fear near stops is a known pattern). ``named`` is
    ``layers.geocode.named_points`` of those cells' centres, in the same order."""
    cells = report.cells.iloc[rows]
    nothing = translate("hotspots.hot.none_near", lang)
    stops = [f"{name} ({number(metres, lang, 0)} m)" if name else nothing
             for name, metres in zip(named["nearest_stop"], named["stop_m"], strict=True)]
    return pd.DataFrame({
        translate("hotspots.hot.place", lang): [p or nothing for p in named["place"]],
        translate("hotspots.hot.class", lang): [label("hotspots.class", c, lang)
                                                for c in cells[f"{layer}_class"]],
        translate("hotspots.hot.density", lang): [number(v, lang, 1)
                                                  for v in cells[f"{layer}_kde"]],
        translate("hotspots.hot.stop", lang): stops,
    })


def class_chart(table: pd.DataFrame, title: str) -> alt.Chart:
    """A horizontal bar chart of cells per class, one panel per layer (not-significant and
    "neither" are left out: they dwarf the classes that matter)."""
    shown = table[~table["code"].isin(["not_significant", NEITHER])]
    colours = {**CLASS_COLOURS, **FEAR_CRIME_COLOURS}
    order = list(shown["label"].drop_duplicates())
    colour_range = [colours[c] for c in shown.drop_duplicates("label")["code"]]
    return alt.Chart(shown, title=title).mark_bar().encode(
        x=alt.X("cells:Q", title=None),
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)),
        color=alt.Color("label:N", scale=alt.Scale(domain=order, range=colour_range),
                        legend=None),
        row=alt.Row("layer:N", title=None),
        tooltip=["layer", "label", "cells"],
    ).resolve_scale(y="independent")


def metrics(report: HotspotReport, confidence: float, lang: str) -> list[tuple[str, str]]:
    """(caption, value) of the cells, the fear answers and hot cells at ``confidence``, and the
    offences when crime comes from them."""
    fear = report.layers.get("fear")
    crime = report.layers.get("crime")
    shown = [(translate("hotspots.metric.cells", lang), number(len(report.cells), lang))]
    if fear is not None:
        hot = int((report.cells["fear_bin"] >= min_bin(confidence)).sum())
        shown += [(translate("hotspots.metric.points", lang), number(fear.points, lang)),
                  (translate("hotspots.metric.hot", lang, level=f"{confidence * 100:.0f}"),
                   number(hot, lang))]
    if crime is not None and crime.source == "offences":
        shown.append((translate("hotspots.metric.offences", lang), number(crime.points, lang)))
    return shown


def localities_table(localities: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each locality's cells, fear and crime hot cells and fear-vs-crime class in ``lang``."""
    shown = localities.assign(
        fear_crime=[label("hotspots.fc", c, lang) for c in localities["fear_crime"]])
    columns = {"name": "name", "cells": "cells", "fear_hot_cells": "fear",
               "crime_hot_cells": "crime", "fear_crime": "class"}
    return pd.DataFrame(shown[list(columns)]).rename(columns={
        column: translate(f"hotspots.localities.{key}", lang) for column, key in columns.items()})


def explanation_table(lang: str) -> pd.DataFrame:
    """What each fear-vs-crime class means for the police, urbanists and community workers:
    one row per class, one column per role."""
    roles = ("police", "urban", "community")
    rows = {code: [translate(f"hotspots.fc.{code}.{role}", lang) for role in roles]
            for code in (BOTH, FEAR_ONLY, CRIME_ONLY)}
    return pd.DataFrame(rows, index=[translate(f"hotspots.explain.{role}", lang)
                                     for role in roles]).rename(
        columns={code: label("hotspots.fc", code, lang) for code in rows}).T


def emerging_table(patterns: pd.Series, lang: str) -> pd.DataFrame:
    """Cells per emerging-hot-spot pattern with its plain-language meaning in ``lang``:
    columns code, label, cells, meaning; every pattern listed (zero where none), in the
    vocabulary's order."""
    counts = patterns.value_counts()
    text = LANGUAGES.index(lang)
    return pd.DataFrame(
        [{"code": code, "label": EMERGING_PATTERN.label(code, lang),
          "cells": int(counts.get(code, 0)), "meaning": EMERGING_EXPLANATION[code][text]}
         for code in EMERGING_PATTERN.codes],
        columns=["code", "label", "cells", "meaning"])
