"""The Data page: sources per layer with licence and date, upload → preview → commit as a
batch, and the batches with undo. Only for ``manage_data``; imports go through
``layers.ingest`` (the same validation as ``mapa import``) and are written to the audit log.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from app.features.data.map import build_draw_map, build_preview_map
from app.features.data.model import (
    batches_table,
    drawn_locality_geojson,
    problems_table,
    sources_table,
    undo_contents,
)
from app.ui import cache
from app.ui.cache_keys import cache_key
from app.ui.map_component import show_map
from app.ui.maps.draw import drawn_geometry
from app.ui.page import page_head
from app.ui.state import count, error_text, t
from app.ui.town import TownData
from layers.access import audit
from layers.access.principal import Principal
from layers.access.roles import MANAGE_DATA
from layers.catalogue.register import REGION_CODES, import_register
from layers.errors import InvalidInput, MapaError
from layers.ingest.batches import KINDS, ImportRefused, list_batches, undo_batch
from layers.ingest.report import ValidationReport
from layers.ingest.templates import FORMATS, template_bytes, template_name
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
#: Session-state key of the batch whose undo waits for the user's confirmation.
CONFIRM_UNDO_KEY = "data_undo_confirm"
#: Rows read between two updates of an import's progress bar.
PROGRESS_ROWS = 5_000
#: Media types of the template downloads.
TEMPLATE_MIME = {"csv": "text/csv",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
#: The file name a drawn locality is checked under (its suffix says GeoJSON).
DRAWN_FILE = "drawn_locality.geojson"
UPLOAD_TYPES = ("geojson", "json", "gpkg", "zip", "kml", "fgb", "gml", "csv", "txt", "xlsx",
                "osm", "pbf")
#: The import kind whose lookup tables are uploaded beside the export.
POLICE_EXPORT = "police-open-data"


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
           name: str, companions: dict[str, bytes] | None = None) -> None:
    """Validate ``data``, the bytes of a file called ``file_name`` shown as ``name`` (a dry
    run; ``companions`` are files that go beside it), and keep the preview for the commit
    button below. Any refusal (a bad file, a file over a limit) is one message."""
    status = st.empty()

    def progress(report: ValidationReport) -> None:
        status.caption(t("data.progress.check", done=report.rows,
                         rejected=report.counts["rejected"]))

    try:
        result = import_upload(store, kind, file_name, data, companions, town_id=town_id,
                               dry_run=True, licence=licence, display_name=name,
                               progress=progress, chunk_rows=PROGRESS_ROWS)
    except (InvalidInput, StoreError) as exc:
        st.session_state.pop(PREVIEW_KEY, None)
        st.error(t("data.error", problem=error_text(exc)))
    else:
        status.empty()
        st.session_state[PREVIEW_KEY] = {"data": data, "file": file_name, "kind": kind,
                                         "licence": licence, "name": name, "result": result,
                                         "companions": companions or {}}


def _upload(store: Store, town: TownData) -> None:
    """Upload a file, or draw a locality on the map, and check it."""
    town_id = town.town_id
    st.header(t("data.upload"))
    kind = st.selectbox(t("data.kind"), list(KINDS), format_func=lambda k: t(f"data.kind.{k}"),
                        key="data_kind")
    with st.container(key="data-templates"):
        st.caption(t("data.template"))
        for column, fmt in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
            column.download_button(t(f"data.template.{fmt}"), template_bytes(str(kind), fmt),
                                   file_name=template_name(str(kind), fmt),
                                   mime=TEMPLATE_MIME[fmt], key=f"data_template_{fmt}")
    upload = st.file_uploader(t("data.file"), type=list(UPLOAD_TYPES), key="data_file")
    lookups = (st.file_uploader(t("data.lookups"), type=["json"], accept_multiple_files=True,
                                key="data_lookups") if kind == POLICE_EXPORT else None)
    licence = st.text_input(t("data.licence"), key="data_licence")

    if st.button(t("data.check"), disabled=upload is None, key="data_check") and upload:
        _check(store, town_id, upload.getvalue(), upload.name, str(kind), licence, upload.name,
               {f.name: f.getvalue() for f in lookups or []})

    # a toggle, not an expander: a collapsed expander still lays out its map component
    if st.toggle(t("data.draw"), key="data_draw_on"):
        drawing = show_map(("data-draw", *cache_key(store, "town", town_id), town_id),
                           lambda: build_draw_map(town.boundary, town.localities),
                           key="data-draw-map", height=420,
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
        # the map shows the checked file (its bytes, those beside it, its kind) on the town
        digest = hashlib.sha256(preview["data"])
        for name, data in sorted(preview["companions"].items()):
            digest.update(name.encode() + hashlib.sha256(data).digest())
        view = ("data-preview", *cache_key(store, "town", town.town_id), town.town_id,
                digest.hexdigest(), preview["kind"], lang)
        show_map(view, lambda: build_preview_map(town.boundary, result.preview,
                                                 t("data.approximate")),
                 key="data-preview-map", height=420, returned_objects=[])
    if st.button(t("data.commit"), type="primary", key="data_commit"):
        # the check counted the rows: the bar shows how far the commit is
        total = max(report.rows, 1)
        bar = st.progress(0.0, text=t("data.progress", done=0, total=report.rows, rejected=0))

        def progress(done: ValidationReport) -> None:
            bar.progress(min(done.rows / total, 1.0), text=t(
                "data.progress", done=done.rows, total=report.rows,
                rejected=done.counts["rejected"]))

        try:
            done = import_upload(
                store, preview["kind"], preview["file"], preview["data"], preview["companions"],
                town_id=town.town_id, licence=preview["licence"], display_name=preview["name"],
                progress=progress, chunk_rows=PROGRESS_ROWS,
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
            st.session_state[CONFIRM_UNDO_KEY] = chosen
        if st.session_state.get(CONFIRM_UNDO_KEY) == chosen:
            _confirm_undo(store, principal, batches[batches["batch_id"] == chosen].iloc[0],
                          lang)


def _confirm_undo(store: Store, principal: Principal, batch: pd.Series, lang: str) -> None:
    """Say what undoing ``batch`` removes, per layer, and undo it only when confirmed."""
    chosen = str(batch["batch_id"])
    with st.container(key="data-undo-confirm", border=True):
        st.warning(t("data.undo.confirm", name=batch["source_name"]))
        st.markdown("\n".join(f"- {t('data.undo.count', layer=layer, count=count)}"
                               for layer, count in undo_contents(batch, lang)))
        yes, no = st.columns(2)
        if no.button(t("data.undo.no"), key="data_undo_no"):
            st.session_state.pop(CONFIRM_UNDO_KEY, None)
            st.rerun()
        if yes.button(t("data.undo.yes"), type="primary", key="data_undo_yes"):
            st.session_state.pop(CONFIRM_UNDO_KEY, None)
            try:
                deleted = undo_batch(store, chosen, lambda counts: audit.entry(
                    principal, "undo_import", "", [chosen], counts))
            except (ImportRefused, StoreError) as exc:
                st.error(t("data.error", problem=error_text(exc)))
            else:
                # shown after the rerun that redraws the batches table
                st.session_state[FLASH_KEY] = t("data.undone", batch=chosen,
                                                deleted=count("count.records",
                                                              sum(deleted.values())))
                st.rerun()


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
