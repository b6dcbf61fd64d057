"""Production defaults of the shipped Streamlit settings, as the installed Streamlit reads them,
and the documented reverse proxy."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from streamlit.config import ShowErrorDetailsConfigOptions

ROOT = Path(__file__).resolve().parents[2]


def test_streamlit_reads_the_shipped_production_defaults() -> None:
    """No traceback reaches the browser, and only this machine can connect."""
    shipped = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert shipped["client"]["showErrorDetails"] == ShowErrorDetailsConfigOptions.NONE
    assert shipped["server"]["address"] == "localhost"
    # the effective settings, as `streamlit run` in the checkout would use them
    shown = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=ROOT,
                           capture_output=True, text=True, check=True, timeout=120).stdout
    assert re.search(r'^showErrorDetails = "none"$', shown, re.MULTILINE)
    assert re.search(r'^address = "localhost"$', shown, re.MULTILINE)


def test_the_documented_reverse_proxy_sets_the_security_headers() -> None:
    conf = (ROOT / "docs" / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for needed in ("ssl_certificate", "Strict-Transport-Security", "Content-Security-Policy",
                   "frame-ancestors", "X-Forwarded-For", "proxy_set_header Upgrade",
                   "proxy_pass http://127.0.0.1:8501"):
        assert needed in conf, needed
