"""What the Patrol planning page shows and hands out for a plan (no Streamlit here): its
figures, its places as a table, the saved plans, and the GPX, HTML and GeoPackage files."""

from __future__ import annotations

import math

import pandas as pd

from app.ui.i18n import label, labels, number, translate
from layers.hotspots.privacy import DEFAULT_K
from layers.patrol.gpx import plan_gpx
from layers.patrol.plans import PatrolPlan, plan_layers, plan_metadata
from layers.patrol.sheet import reported_text, sheet_html
from layers.schema import PIN_CATEGORIES
from layers.urban.export import export_bytes

#: The language of the files a patrol takes on the street.
FILE_LANGUAGE = "cs"


def gpx_file(plan: PatrolPlan, town_name: str) -> bytes:
    """The round as GPX (route and waypoints; Czech, for the patrol on the street)."""
    category_labels = labels("pin.category", PIN_CATEGORIES, FILE_LANGUAGE)
    descriptions = [reported_text(r, category_labels, DEFAULT_K) for r in plan.stops["reported"]]
    return plan_gpx(f"Hlídka {town_name}", plan.route.line(), plan.stops,
                    descriptions, plan.illustrative_note).encode("utf-8")


def sheet_html_file(plan: PatrolPlan, town_name: str) -> bytes:
    """The patrol sheet as an HTML page (Czech)."""
    return sheet_html(plan, town_name, labels("pin.category", PIN_CATEGORIES, FILE_LANGUAGE)
                      ).encode("utf-8")


def gpkg_file(plan: PatrolPlan, town_name: str) -> bytes:
    """The plan's layers as one GeoPackage (``town_name`` is not needed: the layers say it)."""
    return export_bytes(plan_layers(plan), plan_metadata(plan))


def metrics(plan: PatrolPlan, lang: str) -> list[tuple[str, str]]:
    """(caption, value) of the round's length and times and of its coverage of each layer."""
    route = plan.route
    shown = [(translate("patrol.metric.length", lang),
              f"{number(route.length_m / 1000, lang, 2)} km"),
             (translate("patrol.metric.walk", lang),
              translate("patrol.minutes", lang, n=round(route.walk_min))),
             (translate("patrol.metric.total", lang),
              translate("patrol.minutes", lang, n=round(route.total_min)))]
    for name, layer in plan.coverage.layers.items():
        share = "–" if math.isnan(layer.share) else f"{layer.share:.0%}"
        key = "coverage" if name == "fear" else "coverage_crime"
        shown.append((translate(f"patrol.metric.{key}", lang),
                      f"{layer.covered} / {layer.hot} ({share})"))
    return shown


def stops_table(plan: PatrolPlan, lang: str) -> pd.DataFrame:
    """The round's places in order: rank, time window, score and its parts, why the place is
    in the round and what was reported there (small counts withheld below k)."""
    category_labels = labels("pin.category", PIN_CATEGORIES, lang)
    fewer = translate("patrol.fewer", lang, k="{k}")
    stops = plan.stops

    def col(key: str) -> str:
        return translate(f"patrol.col.{key}", lang)

    return pd.DataFrame({
        col("position"): stops["position"],
        col("place"): stops["place_name"].replace("", "–"),
        col("stop"): stops["nearest_stop"].replace("", "–"),
        col("rank"): stops["rank"],
        col("window"): stops["time_window"],
        col("score"): stops["score"].round(3),
        col("fear"): stops["fear_contribution"].round(3),
        col("crime"): stops["crime_contribution"].round(3),
        col("time"): stops["time_contribution"].round(3),
        col("stop_factor"): stops["stop_contribution"].round(3),
        col("why"): [translate("patrol.why", lang, rank=r.rank, fear=round(100 * r.fear_value),
                               crime=round(100 * r.crime_value),
                               fear_class=label("hotspots.class", r.fear_class, lang),
                               time_answers=r.time_answers, answers=r.fear_answers)
                     for r in stops.itertuples()],
        col("reported"): [reported_text(r, category_labels, DEFAULT_K, fewer)
                          for r in stops["reported"]],
    })


def saved_table(saved: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The saved plans: title, when, length in km and the measure each became."""
    return pd.DataFrame({
        translate("patrol.saved.col.title", lang): saved["title"],
        translate("patrol.saved.col.when", lang): saved["created_at"],
        translate("patrol.saved.col.length", lang):
            (saved["length_m"].astype(float) / 1000).round(2),
        translate("patrol.saved.col.measure", lang): saved["measure_id"].fillna(""),
    })
