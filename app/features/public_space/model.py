"""What the Public space page shows from the accessibility, service-link and audit results
(no Streamlit here): the tables in the user's language and the picture of the service network.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from app.features.public_space.map import LINK_COLOURS
from app.ui.i18n import label, translate
from app.ui.maps.base import SERVICE_BADGES
from layers.schema import AUDIT_ASPECTS
from layers.urban.accessibility import SERVICE_GROUPS


def _groups(text: str, group: str, lang: str) -> str:
    """Comma-separated codes of vocabulary ``group`` as their labels."""
    return ", ".join(label(group, code.strip(), lang) for code in text.split(",") if code.strip())


def access_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each origin (locality or hot cell) with its distance in metres to each service group
    (empty where none is reachable) and the groups it is a white spot of."""
    return pd.DataFrame({
        translate("urban.col.kind", lang): [label("urban.kind", k, lang)
                                            for k in table["origin_kind"]],
        translate("urban.col.name", lang): table[f"place_{lang}"],
        **{label("urban.group", g, lang): [None if v == float("inf") else round(v)
                                           for v in table[f"dist_{g}"]] for g in SERVICE_GROUPS},
        translate("urban.col.white", lang): [_groups(w, "urban.group", lang)
                                             for w in table["white"]],
    })


def partners_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each service with its number of partners and the group of linked services it is in."""
    return pd.DataFrame({
        translate("urban.col.name", lang): summary["name"],
        translate("urban.links.col.partners", lang): summary["partners"],
        translate("urban.links.col.group", lang): summary["group"]})


def audits_table(audits: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each audit: place, date, the score of every aspect, the mean, the weakest aspects and
    the linked measures."""
    return pd.DataFrame({
        translate("urban.audit.label", lang): audits["place_label"],
        translate("urban.audit.date", lang): audits["date"],
        **{label("urban.aspect", a, lang): audits[a] for a in AUDIT_ASPECTS},
        translate("urban.audit.col.mean", lang): audits["mean"].round(1),
        translate("urban.audit.col.weakest", lang): [_groups(w, "urban.aspect", lang)
                                                     for w in audits["weakest"]],
        translate("urban.audit.measures", lang): audits["measure_ids"]})


def graph_figure(graph: nx.MultiGraph) -> plt.Figure:
    """The services as a network: nodes coloured as their map badges, links by kind (the
    caller closes the figure)."""
    figure, axes = plt.subplots(figsize=(7, 4.5))
    positions = nx.circular_layout(graph)
    colours = [SERVICE_BADGES.get(d["service_type"], ("", "#999999"))[1]
               for _, d in graph.nodes(data=True)]
    nx.draw_networkx_nodes(graph, positions, node_color=colours, node_size=260, ax=axes)
    for kind, colour in LINK_COLOURS.items():
        edges = [(u, v) for u, v, d in graph.edges(data=True) if d["kind"] == kind]
        nx.draw_networkx_edges(graph, positions, edgelist=edges, edge_color=colour, width=2,
                               ax=axes)
    nx.draw_networkx_labels(graph, positions, {n: d["name"][:28] for n, d in
                                               graph.nodes(data=True)}, font_size=6, ax=axes)
    axes.set_axis_off()
    figure.tight_layout()
    return figure
