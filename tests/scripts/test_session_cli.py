"""`mapa session link` and `mapa session list` end to end: the JSON contract, the QR code,
a link after its end refused, an unknown session's error."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from layers.errors import Conflict
from layers.mapping import links
from layers.mapping.sessions import SessionInput, create_session
from layers.store import Store, open_store
from scripts.mapa import main


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    """The JSON object on the last line printed since the last read."""
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.fixture
def store_path(demo_store_copy: Store) -> Path:
    return Path(demo_store_copy.location)


def test_link_and_list(store_path: Path, tmp_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(store_path)
    session = create_session(store, SessionInput(
        town_id="kraslice", date="2026-12-06", place="KC Kraslice", organiser="KC Kraslice",
        age_group="adults", participants=30, method="tablet", consent="souhlas"))
    qr = tmp_path / "odkaz.svg"
    assert main(["session", "link", "--session", session, "--until", "2030-01-31T18:00",
                 "--base-url", "https://mapa.kraslice.cz/", "--qr", str(qr), "--store",
                 str(store_path), "--json"]) == 0
    result = _json(capsys)
    assert set(result) == {"url", "until"} and result["until"] == "2030-01-31T18:00:00+00:00"
    url = urlparse(result["url"])
    assert (url.scheme, url.netloc, url.path) == ("https", "mapa.kraslice.cz", "/")
    token = parse_qs(url.query)["link"][0]
    assert links.open_link(store, token).session_id == session
    with pytest.raises(Conflict):  # after its end the link is refused
        links.open_link(store, token, dt.datetime(2030, 1, 31, 18, tzinfo=dt.UTC))
    assert qr.read_text().lstrip().startswith("<?xml") and "<svg" in qr.read_text()

    sheet = tmp_path / "mapa.pdf"  # the printed session sheet carries the link's QR code
    assert main(["session-map", "--session", session, "--link", result["url"], "--out",
                 str(sheet), "--store", str(store_path)]) == 0
    text = subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "naskenujte kód" in text
    images = subprocess.run(["pdfimages", "-list", str(sheet)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(images) == 1  # the QR code, drawn as an image (the map is vector)
    capsys.readouterr()

    assert main(["session", "list", "--town", "Kraslice", "--store", str(store_path),
                 "--json"]) == 0
    sessions = _json(capsys)["sessions"]
    assert {s["town"] for s in sessions} == {"kraslice"}
    mine = [s for s in sessions if s["id"] == session]
    assert mine and {"id", "name", "town", "date"} <= set(mine[0])
    assert (mine[0]["name"], mine[0]["date"], mine[0]["pins"]) == ("KC Kraslice",
                                                                    "2026-12-06", 0)

    assert main(["session", "link", "--session", "nope", "--store", str(store_path),
                 "--json"]) == 1
    error = _json(capsys)["error"]
    assert error["code"] == "mapping.unknown_session"
    assert main(["session", "list", "--town", "Praha", "--store", str(store_path),
                 "--json"]) == 1
    assert _json(capsys)["error"]["code"] == "mapping.unknown_town"
