"""The Data page: sources per layer with licence and date, upload → preview → commit as a
batch, and the batches with undo. Only for ``manage_data``; imports go through
``layers.ingest`` (the same validation as ``mapa import``) and are written to the audit log.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app.features.data.map import build_draw_map, build_preview_map
from app.features.data.model import (
    batches_table,
    drawn_locality_geojson,
    problems_table,
    sources_table,
)
from app.ui import cache
from app.ui.maps.draw import drawn_geometry
from app.ui.page import page_head
from app.ui.state import error_text, t
from app.ui.town import TownData
from layers.access import audit
from layers.access.principal import Principal
from layers.access.roles import MANAGE_DATA
from layers.catalogue.register import REGION_CODES, import_register
from layers.errors import InvalidInput, MapaError
from layers.ingest.batches import KINDS, ImportRefused, list_batches, undo_batch
from layers.ingest.uploads import import_upload
from layers.schema import SOURCES
from layers.store import Store
from layers.store.base import StoreError

#: Session-state key of the checked upload: its bytes, file name, kind, licence and preview
#: (the bytes, not a saved file: each import writes them to a folder of its own and deletes it).
PREVIEW_KEY = "data_preview"
#: Problems shown as a plain table; more go to a scrolling data grid.
TABLE_ROWS = 100
#: Session-state key of a message to show after a rerun (an undo).
FLASH_KEY = "data_flash"
#: The file name a drawn locality is checked under (its suffix says GeoJSON).
DRAWN_FILE = "drawn_locality.geojson"
UPLOAD_TYPES = ("geojson", "json", "gpkg", "zip", "csv", "txt", "xlsx", "osm", "pbf")


def render() -> None:
    """The page: sources, upload (or draw) → preview → commit, and the batches with undo."""
    head = page_head("data", MANAGE_DATA, ("localities", "services", "police_districts", "pins"))
    principal, lang, town_id, town = head.principal, head.lang, head.town_id, head.town
    store = cache.store()

    st.header(t("data.sources"))
    st.dataframe(sources_table(store.read(SOURCES), lang), hide_index=True, width="stretch")

    _upload(store, town)
    _preview(store, principal, town, lang)
    _batches(store, principal, town_id, lang)
    _register(store, principal, town)


def _register(store: Store, principal: Principal, town: TownData) -> None:
    """Import the MPSV register of social-service providers into the catalogue, updated by
    identifier (``layers.catalogue.register``), with its report."""
    with st.container(key="data-register"):
        st.header(t("data.register"))
        st.caption(t("data.register.intro"))
        register = st.file_uploader(t("data.register.file"), type=["json"],
                                    key="data_register_file")
        lists = st.file_uploader(t("data.register.codelists"), type=["json"],
                                 accept_multiple_files=True, key="data_register_codelists")
        regions = list(dict.fromkeys([str(town.town["kod_kraj"]), *REGION_CODES]))
        region = st.selectbox(t("data.register.region"), regions, key="data_register_region")
        if register is None or not st.button(t("data.register.run"), key="data_register_run"):
            return
        # the uploads in a private folder removed when the import ends, whatever its outcome
        try:
            with tempfile.TemporaryDirectory(prefix="mapa-upload-") as folder:
                saved = []
                for number, upload in enumerate([register, *(lists or [])]):
                    path = Path(folder) / f"{number}-{Path(upload.name).name}"
                    path.write_bytes(upload.getvalue())
                    saved.append(path)
                report = import_register(store, principal, saved[0], str(region), saved[1:])
        except (MapaError, OSError) as exc:
            st.error(t("data.error", problem=error_text(exc)))
            return
        st.success(t("data.register.done", added=len(report.added),
                     updated=len(report.updated), unchanged=report.unchanged,
                     withdrawn=len(report.withdrawn)))
        for service_id, fields in report.updated.items():
            st.markdown(f"- {t('data.register.updated', id=service_id, fields=', '.join(fields))}")
        for service_id in report.withdrawn:
            st.markdown(f"- {t('data.register.withdrawn', id=service_id)}")
        if report.without_position:
            st.subheader(t("data.register.unplaced", count=len(report.without_position)))
            st.table(pd.DataFrame(report.without_position).set_index("id"))


def _check(store: Store, town_id: str, data: bytes, file_name: str, kind: str, licence: str,
           name: str) -> None:
    """Validate ``data``, the bytes of a file called ``file_name`` shown as ``name`` (a dry
    run), and keep the preview for the commit button below. Any refusal (a bad file, a file
    over a limit) is one message."""
    try:
        result = import_upload(store, kind, file_name, data, town_id=town_id, dry_run=True,
                               licence=licence, display_name=name)
    except (InvalidInput, StoreError) as exc:
        st.session_state.pop(PREVIEW_KEY, None)
        st.error(t("data.error", problem=error_text(exc)))
    else:
        st.session_state[PREVIEW_KEY] = {"data": data, "file": file_name, "kind": kind,
                                         "licence": licence, "name": name, "result": result}


def _upload(store: Store, town: TownData) -> None:
    """Upload a file, or draw a locality on the map, and check it."""
    town_id = town.town_id
    st.header(t("data.upload"))
    kind = st.selectbox(t("data.kind"), list(KINDS), format_func=lambda k: t(f"data.kind.{k}"),
                        key="data_kind")
    upload = st.file_uploader(t("data.file"), type=list(UPLOAD_TYPES), key="data_file")
    licence = st.text_input(t("data.licence"), key="data_licence")

    if st.button(t("data.check"), disabled=upload is None, key="data_check") and upload:
        _check(store, town_id, upload.getvalue(), upload.name, str(kind), licence, upload.name)

    # a toggle, not an expander: a collapsed expander still lays out its map component
    if st.toggle(t("data.draw"), key="data_draw_on"):
        drawing = st_folium(build_draw_map(town.boundary, town.localities), key="data-draw-map",
                            height=420, use_container_width=True,
                            returned_objects=["last_active_drawing"])
        drawn = drawn_geometry((drawing or {}).get("last_active_drawing"))
        with st.form("data_draw"):
            drawn_name = st.text_input(t("data.draw.name"), key="data_draw_name")
            drawn_population = st.number_input(t("data.draw.population"), min_value=0, step=10,
                                               key="data_draw_population")
            drawn_source = st.text_input(t("data.draw.source"), key="data_draw_source")
            drawn_date = st.date_input(t("data.draw.date"), key="data_draw_date")
            submitted = st.form_submit_button(t("data.draw.check"))
        if submitted and drawn is None:
            st.warning(t("data.draw.nothing"))
        elif submitted and drawn is not None:
            # the drawing goes through the same checks as a file: written as one
            data = drawn_locality_geojson(drawn, drawn_name.strip(), int(drawn_population),
                                          drawn_source.strip(), str(drawn_date))
            _check(store, town_id, data, DRAWN_FILE, "localities", licence,
                   t("data.draw.file", name=drawn_name.strip()))


def _preview(store: Store, principal: Principal, town: TownData, lang: str) -> None:
    """The checked file's figures, problems and map, and the button committing it."""
    preview = st.session_state.get(PREVIEW_KEY)
    if not preview:
        return
    result = preview["result"]
    report = result.report
    st.subheader(t("data.preview", name=preview["name"]))
    figures = {"rows": report.rows, "added": result.added, **report.counts}
    for column, (key, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
        column.metric(t(f"data.preview.{key}"), value)
    if report.crs_action:
        st.caption(t("data.preview.crs", action=report.crs_action))
    if report.encoding:
        st.caption(t("data.preview.encoding", encoding=report.encoding))
    st.markdown(f"**{t('data.problems')}**")
    problems = problems_table(report, lang)
    if problems.empty:
        st.caption(t("data.no_problems"))
    # a plain table (readable, searchable in the page) for what fits; the rest scrolls
    elif len(problems) <= TABLE_ROWS:
        st.table(problems.set_index(problems.columns[0]))
    else:
        st.dataframe(problems, hide_index=True, width="stretch", key="data_problems")
    if result.preview:
        st_folium(build_preview_map(town.boundary, result.preview), key="data-preview-map",
                  height=420, use_container_width=True, returned_objects=[])
    if st.button(t("data.commit"), type="primary", key="data_commit"):
        try:
            done = import_upload(
                store, preview["kind"], preview["file"], preview["data"],
                town_id=town.town_id, licence=preview["licence"], display_name=preview["name"],
                audit_entry=lambda result: audit.entry(
                    principal, "import", KINDS[result.kind], [result.batch_id],
                    {"file": preview["name"], "added": result.added,
                     "rejected": result.report.counts["rejected"]}))
        except (InvalidInput, StoreError) as exc:
            st.error(t("data.error", problem=error_text(exc)))
        else:
            st.session_state.pop(PREVIEW_KEY, None)
            st.success(t("data.committed", batch=done.batch_id, added=done.added))


def _batches(store: Store, principal: Principal, town_id: str, lang: str) -> None:
    """The town's import batches and the undo of a committed one."""
    st.header(t("data.batches"))
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))
    batches = list_batches(store, town_id)
    if batches.empty:
        st.caption(t("data.no_batches"))
        return
    st.dataframe(batches_table(batches, lang), hide_index=True, width="stretch",
                 key="data_batches")
    committed = batches.loc[batches["status"] == "committed", "batch_id"].tolist()
    if committed:
        names = dict(zip(batches["batch_id"], batches["source_name"], strict=True))
        chosen = st.selectbox(t("data.undo.choose"), committed, key="data_undo_batch",
                              format_func=lambda b: f"{b} ({names[b]})")
        if st.button(t("data.undo"), key="data_undo"):
            try:
                deleted = undo_batch(store, str(chosen), lambda counts: audit.entry(
                    principal, "undo_import", "", [chosen], counts))
            except (ImportRefused, StoreError) as exc:
                st.error(t("data.error", problem=error_text(exc)))
            else:
                # shown after the rerun that redraws the batches table
                st.session_state[FLASH_KEY] = t("data.undone", batch=chosen,
                                                deleted=sum(deleted.values()))
                st.rerun()


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
