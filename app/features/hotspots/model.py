"""The Hotspots page's table and chart of cells per class, built from a hotspot report (no
Streamlit here)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from app.features.hotspots.map import CLASS_COLOURS, FEAR_CRIME_COLOURS
from app.ui.i18n import label, translate
from layers.hotspots.analysis import HotspotReport
from layers.hotspots.classes import CLASS_CODES
from layers.hotspots.fear_crime import FEAR_CRIME_CLASSES, NEITHER


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
