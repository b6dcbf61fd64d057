"""The one error type and its catalogue: every code raised has a Czech and an English text."""

from __future__ import annotations

import ast
import pickle
import string
from pathlib import Path

import pytest

from layers.access.principal import AccessDenied, Principal
from layers.errors import Conflict, InvalidInput, MapaError, NotAllowed, NotFound, StoreFailure
from layers.hotspots.analysis import HotspotInputError
from layers.hotspots.gistar import GiStarError
from layers.ingest.batches import ImportRefused
from layers.mapping.feeling_map_import import AlreadyImported
from layers.messages import LANGUAGES, MESSAGES, render
from layers.sources.errors import SourceError
from layers.store import StoreError
from layers.store.pg_cluster import ClusterError
from layers.strategy.editing import EditRefused
from scripts.commands.common import CommandError

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for folder in ("layers", "scripts", "app")
                 for p in (ROOT / folder).rglob("*.py"))


def _error_classes() -> set[str]:
    found: set[str] = set()
    pending = [MapaError]
    while pending:
        cls = pending.pop()
        found.add(cls.__name__)
        pending += cls.__subclasses__()
    return found


def _codes(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _codes(node.body) + _codes(node.orelse)
    return []


def _raised_codes() -> dict[str, list[str]]:
    """Each code given to an error class (or to ``Principal.refusal``) and where."""
    classes = _error_classes()
    codes: dict[str, list[str]] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else \
                func.attr if isinstance(func, ast.Attribute) else ""
            if name in classes or name == "refusal":
                for code in _codes(node.args[0]):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    for variant in [code, f"{code}.public"] if name == "refusal" else [code]:
                        codes.setdefault(variant, []).append(where)
    return codes


def test_every_raised_code_has_both_texts() -> None:
    codes = _raised_codes()
    assert len(codes) > 80
    missing = {code: where for code, where in codes.items() if code not in MESSAGES}
    assert missing == {}
    for code in codes:
        assert all(getattr(MESSAGES[code], lang).strip() for lang in LANGUAGES), code


def test_every_text_is_used_somewhere() -> None:
    literals: set[str] = set()
    for path in SOURCES:
        literals |= {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                     if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    unused = [code for code in MESSAGES
              if code not in literals and code.removesuffix(".public") not in literals]
    assert unused == []


def test_every_template_fills_from_its_fields() -> None:
    for code, text in MESSAGES.items():
        fields = {f for lang in LANGUAGES for _, f, _, _ in string.Formatter().parse(
            getattr(text, lang)) if f}
        params = {f: 1.5 for f in fields}
        for lang in LANGUAGES:
            assert "{" not in render(code, params, lang).replace("{'", ""), code


def test_params_fill_both_languages_and_str_is_english() -> None:
    error = StoreError("store.missing", location="/tmp/x.gpkg")
    assert str(error) == ("store /tmp/x.gpkg does not exist; build it with `mapa build-demo`")
    assert error.message("en") == str(error)
    assert error.message() == error.message("cs")
    assert error.message("cs").startswith("úložiště /tmp/x.gpkg neexistuje")
    assert error.code == "store.missing" and error.params == {"location": "/tmp/x.gpkg"}
    with pytest.raises(ValueError, match="language"):
        error.message("de")
    with pytest.raises(KeyError):
        MapaError("no.such.code")


def test_a_wrapped_error_reads_in_the_same_language() -> None:
    cause = GiStarError("gistar.zero_sum")
    error = HotspotInputError("undefined", detail=cause)
    assert str(error) == "nothing to test: the values sum to zero"
    assert error.message("cs") == "statistiku nelze spočítat (není co testovat: součet hodnot " \
                                  "je nula)"


def test_families_keep_the_builtins_callers_catch() -> None:
    assert issubclass(InvalidInput, ValueError) and issubclass(Conflict, ValueError)
    assert issubclass(NotAllowed, PermissionError) and issubclass(NotFound, LookupError)
    assert issubclass(NotFound, ValueError)
    assert issubclass(StoreFailure, RuntimeError)
    for cls, family in [(StoreError, StoreFailure), (ClusterError, StoreFailure),
                        (AccessDenied, NotAllowed), (ImportRefused, InvalidInput),
                        (SourceError, InvalidInput), (EditRefused, InvalidInput),
                        (HotspotInputError, InvalidInput), (AlreadyImported, Conflict),
                        (CommandError, RuntimeError)]:
        assert issubclass(cls, family) and issubclass(cls, MapaError), cls


def test_the_public_and_an_account_are_named_apart() -> None:
    with pytest.raises(AccessDenied) as public:
        Principal("", "public").require("moderate")
    assert public.value.code == "access.lacks_right.public"
    assert str(public.value) == "the public (public) lacks the right 'moderate'"
    assert public.value.message("cs") == "veřejnost (role public) nemá právo 'moderate'"


@pytest.mark.parametrize("error", [
    SourceError("a.csv", "file not found"),
    EditRefused("number_taken", number="1.1", strategy="s"),
    HotspotInputError("undefined", detail=GiStarError("gistar.too_few")),
])
def test_errors_survive_pickling(error: MapaError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and copy.code == error.code
    assert str(copy) == str(error) and copy.message("cs") == error.message("cs")
    assert getattr(copy, "path", None) == getattr(error, "path", None)
