"""Import templates: each reads back through its importer as written, and Czech values (service
types, dates, decimal commas) are accepted the way people write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.errors import InvalidInput
from layers.ingest.batches import KINDS, run_import
from layers.ingest.checks import iso_dates, numbers, term_code
from layers.ingest.templates import FORMATS, PUBLISHED_KINDS, TEMPLATES, template_bytes
from layers.schema import LOCALITIES, OFFENCES, SERVICES
from layers.store import Store
from layers.vocabulary import SERVICE_TYPE

TOWN = "kraslice"


def test_every_import_kind_has_a_template() -> None:
    assert set(TEMPLATES) == set(KINDS) - PUBLISHED_KINDS


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("kind", "layer", "column", "value"), [
    ("services", SERVICES, "service_type", "nzdm"),
    ("offences", OFFENCES, "date", "2026-12-04"),
    ("localities", LOCALITIES, "population_est", 120),
    ("localities", LOCALITIES, "isv", 12),
])
def test_a_template_imports_as_written(store: Store, tmp_path: Path, fmt: str, kind: str,
                                       layer: object, column: str, value: object) -> None:
    path = tmp_path / f"t.{fmt}"
    path.write_bytes(template_bytes(kind, fmt))
    result = run_import(store, kind, path, town_id=TOWN)
    assert result.report.rejected == [] and result.added == 1
    stored = store.read(layer, TOWN)  # type: ignore[arg-type]
    new = stored[stored.iloc[:, 0].astype(str).str.startswith(result.batch_id)]
    assert new[column].tolist() == [value]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", [k for k in KINDS if k not in PUBLISHED_KINDS])
def test_every_template_passes_its_check(store: Store, tmp_path: Path, fmt: str,
                                         kind: str) -> None:
    path = tmp_path / f"t.{fmt}"
    path.write_bytes(template_bytes(kind, fmt))
    result = run_import(store, kind, path, town_id=TOWN, dry_run=True)
    assert result.report.rejected == [] and result.added == 1


def test_the_example_row_is_marked_as_an_example() -> None:
    for kind, template in TEMPLATES.items():
        assert any("příklad" in value.casefold() for _, value in template.columns), kind


def test_unknown_kind_or_format_is_refused() -> None:
    with pytest.raises(InvalidInput, match="services"):
        template_bytes("pins", "csv")
    with pytest.raises(InvalidInput, match="xlsx"):
        template_bytes("services", "ods")


@pytest.mark.parametrize(("written", "code"), [
    ("NZDM", "nzdm"), ("nízkoprahové zařízení", "nzdm"), ("Nizkoprahove zarizeni", "nzdm"),
    ("Nízkoprahové zařízení pro děti a mládež Kotelna", "nzdm"),
    ("komunitní centrum", "community_centre"), ("Komunitní centra", "community_centre"),
    ("Městská policie", "municipal_police"), ("Policie ČR", "police"),
    ("Community centre", "community_centre"), ("kavárna", ""), ("", ""),
])
def test_service_types_as_people_write_them(written: str, code: str) -> None:
    assert term_code(SERVICE_TYPE, written) == code


def test_czech_dates_and_decimal_commas() -> None:
    import pandas as pd
    dates, bad = iso_dates(pd.Series(["4.12.2026", "4. 12. 2026", "2026-12-04", "", "4/12"]))
    assert dates.tolist() == ["2026-12-04"] * 3 + ["", ""]
    assert bad.tolist() == ["", "", "", "", "not a date"]
    assert numbers(pd.Series(["50,3236", "1 234,5", "12.5"])).tolist() == [50.3236, 1234.5, 12.5]


def test_an_unknown_service_type_lists_the_accepted_ones(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("název;typ;zeměpisná šířka;zeměpisná délka\n"
                    "Klub;NZDM;50,3236;12,5176\n"
                    "Kavárna;kavárna;50,3237;12,5177\n", encoding="utf-8")
    report = run_import(store, "services", path, town_id=TOWN, dry_run=True).report
    assert [p.where for p in report.rejected] == ["line 3"]
    reason = report.rejected[0].reason
    assert "'kavárna'" in reason
    assert all(term.cs in reason for term in SERVICE_TYPE.terms)
