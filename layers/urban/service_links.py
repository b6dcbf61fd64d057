"""The system of services and their links (seed 000: "vizualizace systému služeb a jejich
provazeb a synergií"): cooperation and referral links between a town's services.

A link joins two different services of one town, has a kind (``SERVICE_LINK_KINDS``) and a
note, and is stored in ``service_links`` as the straight line between them (EPSG:4326), so the
map draws it. Recording one needs the right ``edit_urban``; the principal's role is stored as
``who_role`` and the change goes to the audit log. :func:`service_graph` turns services and
links into a networkx graph; :func:`system_summary` says per service how many partners it has
and which services stand alone (no link: where synergies are missing).
"""

from __future__ import annotations

import uuid

import geopandas as gpd
import networkx as nx
import pandas as pd
from shapely.geometry import LineString

from layers.access import audit
from layers.access.principal import Principal
from layers.access.roles import EDIT_URBAN
from layers.errors import Conflict, InvalidInput, NotFound
from layers.schema import AUDIT_LOG, SERVICE_LINK_KINDS, SERVICE_LINKS, SERVICES
from layers.store import Store


def add_service_link(store: Store, principal: Principal, town_id: str, from_service: str,
                     to_service: str, kind: str, created_at: str, note: str = "") -> str:
    """Record a link by ``principal``; return its id. Audited ("add_service_link").

    Raises ``AccessDenied`` without the right ``edit_urban`` in ``town_id`` (before anything
    is written) and
    ``ValueError`` for an unknown service or kind, a service linked to itself, or a link of
    that kind the pair already has.
    """
    principal.require(EDIT_URBAN, town=town_id)
    if kind not in SERVICE_LINK_KINDS:
        raise InvalidInput("link.kind", kinds=SERVICE_LINK_KINDS, kind=kind)
    if from_service == to_service:
        raise InvalidInput("link.self")
    services = store.read(SERVICES, town_id).set_index("service_id")
    missing = [s for s in (from_service, to_service) if s not in services.index]
    if missing:
        raise NotFound("link.no_services", services=missing, town=town_id)
    existing = load_links(store, town_id)
    pair = {from_service, to_service}
    if any({a, b} == pair and k == kind for a, b, k in zip(
            existing["from_service"], existing["to_service"], existing["kind"], strict=True)):
        raise Conflict("link.exists", first=from_service, second=to_service, kind=kind)
    link_id = f"{town_id}:link:{uuid.uuid4().hex[:8]}"
    line = LineString([services.geometry[from_service].coords[0],
                       services.geometry[to_service].coords[0]])
    frame = gpd.GeoDataFrame([{
        "link_id": link_id, "town_id": town_id, "from_service": from_service,
        "to_service": to_service, "kind": kind, "note": note.strip(),
        "created_at": created_at, "who_role": principal.role}],
        columns=list(SERVICE_LINKS.columns), geometry=[line], crs="EPSG:4326")
    store.append_batch([(SERVICE_LINKS, frame), (AUDIT_LOG, audit.entry(
        principal, "add_service_link", SERVICE_LINKS.name, [link_id],
        {"town_id": town_id, "from_service": from_service, "to_service": to_service,
         "kind": kind}, town_id))])
    return link_id


def load_links(store: Store, town_id: str) -> gpd.GeoDataFrame:
    """The town's service links (EPSG:4326); empty when none was ever recorded."""
    if "service_links" not in store.layer_names():
        return gpd.GeoDataFrame(columns=[*SERVICE_LINKS.columns, "geometry"],
                                geometry="geometry", crs="EPSG:4326")
    return store.read(SERVICE_LINKS, town_id).reset_index(drop=True)


def service_graph(services: pd.DataFrame, links: pd.DataFrame) -> nx.MultiGraph:
    """Services as nodes (``name``, ``service_type``) and links as edges (``kind``)."""
    graph = nx.MultiGraph()
    for row in services.itertuples():
        graph.add_node(str(row.service_id), name=str(row.name),
                       service_type=str(row.service_type))
    for row in links.itertuples():
        graph.add_edge(str(row.from_service), str(row.to_service), kind=str(row.kind),
                       link_id=str(row.link_id))
    return graph


def system_summary(graph: nx.MultiGraph) -> pd.DataFrame:
    """Per service: ``partners`` (distinct linked services), ``links``, ``group`` (number of
    its connected group of services, 0 for a service standing alone), sorted by partners."""
    groups = {}
    number = 0
    for component in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c))):
        if len(component) > 1:
            number += 1
        for node in component:
            groups[node] = number if len(component) > 1 else 0
    rows = [{"service_id": node, "name": data["name"], "service_type": data["service_type"],
             "partners": len(set(graph.neighbors(node))), "links": graph.degree(node),
             "group": groups[node]} for node, data in graph.nodes(data=True)]
    table = pd.DataFrame(rows, columns=["service_id", "name", "service_type", "partners",
                                        "links", "group"])
    return table.sort_values(["partners", "name"], ascending=[False, True]).reset_index(drop=True)
