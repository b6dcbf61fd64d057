"""Public links: residents answer a session from their own phones, without an account.

A facilitator opens a link for a session with a start and an end time; its token (random, 128
bits) is the only thing that lets a stranger write, and only pending pins of that one session.
A submission carries an idempotency key, the pin's id made when the answer started on the
phone: sending it again after a dropped connection stores nothing new. Against flooding, one
device (browser) and one address (a keyed hash, ``layers.access.clients``) may send at most
``LIMITS.link_device_pins`` and ``LIMITS.link_client_pins`` pins through one link.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

import pandas as pd

from layers.errors import Conflict, InvalidInput, NotFound
from layers.limits import LIMITS, Limits
from layers.mapping import capture
from layers.schema import PUBLIC_SUBMISSIONS, SESSION_LINKS
from layers.store import Store

#: How long a link stays open when no end is given.
DEFAULT_DAYS: Final = 14
#: The query parameter of a link. The address is the app's root: with it, the app shows the
#: answer form alone (``app.ui.focus``), and a first visit asks for no page the app's
#: navigation does not list (Streamlit would say "Page not found" first).
LINK_PARAM: Final = "link"
DEFAULT_BASE_URL: Final = "http://localhost:8501"


@dataclass(frozen=True)
class SessionLink:
    """An open or closed link: its token, session, town, and its period (aware UTC times)."""

    link_id: str
    session_id: str
    town_id: str
    starts_at: dt.datetime
    until: dt.datetime
    closed_at: dt.datetime | None = None


def parse_time(value: str) -> dt.datetime:
    """An ISO 8601 time as an aware UTC datetime (a time without a zone is taken as UTC).
    Raises ``InvalidInput`` (``link.bad_time``)."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput("link.bad_time", value=value) from exc
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def create_link(store: Store, session_id: str, *, until: dt.datetime | None = None,
                starts_at: dt.datetime | None = None, now: dt.datetime | None = None
                ) -> SessionLink:
    """Open a new link for ``session_id`` from ``starts_at`` (default now) until ``until``
    (default :data:`DEFAULT_DAYS` later); return it.

    Raises ``NotFound`` for an unknown session and ``InvalidInput`` (``link.bad_period``)
    when the end is not after the start.
    """
    session = capture.load_session(store, session_id)
    now = now or dt.datetime.now(dt.UTC)
    start = starts_at or now
    end = until or start + dt.timedelta(days=DEFAULT_DAYS)
    if end <= start:
        raise InvalidInput("link.bad_period", starts=_iso(start), until=_iso(end))
    link = SessionLink(secrets.token_urlsafe(16), session_id, str(session["town_id"]),
                       start.astimezone(dt.UTC), end.astimezone(dt.UTC))
    store.append(SESSION_LINKS, pd.DataFrame([{
        "link_id": link.link_id, "session_id": session_id, "town_id": link.town_id,
        "starts_at": _iso(link.starts_at), "until": _iso(link.until), "created_at": _iso(now),
        "closed_at": ""}]))
    return link


def link_url(base_url: str, link_id: str) -> str:
    """The address a phone opens for ``link_id`` on the app served at ``base_url``."""
    return f"{base_url.rstrip('/')}/?{urlencode({LINK_PARAM: link_id})}"


def _row_link(row: pd.Series) -> SessionLink:
    closed = str(row["closed_at"] or "")
    return SessionLink(str(row["link_id"]), str(row["session_id"]), str(row["town_id"]),
                       parse_time(str(row["starts_at"])), parse_time(str(row["until"])),
                       parse_time(closed) if closed else None)


def session_links(store: Store, session_id: str) -> list[SessionLink]:
    """The links of ``session_id``, oldest first."""
    if SESSION_LINKS.name not in store.layer_names():
        return []
    rows = pd.DataFrame(store.read_where(SESSION_LINKS, "session_id", [session_id]))
    return [_row_link(row) for _, row in rows.iterrows()]


def open_link(store: Store, link_id: str, now: dt.datetime | None = None) -> SessionLink:
    """The link ``link_id`` if it takes answers at ``now`` (default: the current time).

    Raises ``NotFound`` (``link.unknown``) for an unknown token and ``Conflict``
    (``link.closed``, ``link.not_yet``) outside its period or once closed.
    """
    now = now or dt.datetime.now(dt.UTC)
    rows = (pd.DataFrame(store.read_where(SESSION_LINKS, "link_id", [link_id]))
            if link_id and SESSION_LINKS.name in store.layer_names() else pd.DataFrame())
    if rows.empty:
        raise NotFound("link.unknown")
    link = _row_link(rows.iloc[0])
    ended = link.until if link.closed_at is None else min(link.until, link.closed_at)
    if now >= ended:
        raise Conflict("link.closed", until=ended.strftime("%d. %m. %Y %H:%M UTC"))
    if now < link.starts_at:
        raise Conflict("link.not_yet", starts=link.starts_at.strftime("%d. %m. %Y %H:%M UTC"))
    return link


def close_link(store: Store, link_id: str, now: dt.datetime | None = None) -> int:
    """Close ``link_id`` now; return 1 if it was closed here, 0 if unknown."""
    return store.update_rows(SESSION_LINKS, "link_id", pd.DataFrame(
        [{"link_id": link_id, "closed_at": _iso(now or dt.datetime.now(dt.UTC))}]))


def submit(store: Store, link_id: str, pin_id: str, answer: capture.PinAnswer,
           questions: Mapping[str, object], *, device: str, client: str,
           now: dt.datetime | None = None, limits: Limits = LIMITS) -> bool:
    """Store one answer sent through ``link_id`` as a pending pin (with its answers to the
    session's ``questions``, question id → value); True if stored now, False if ``pin_id``
    (the idempotency key) was stored before: a resent answer is never stored twice.

    Raises as :func:`open_link`, ``Conflict`` (``link.device_limit``, ``link.client_limit``)
    when the device or the address has sent its share through this link, and as
    ``capture.add_pins`` for an invalid answer; nothing is written then.
    """
    link = open_link(store, link_id, now)
    if not pin_id.startswith(f"{link.session_id}-"):
        raise NotFound("link.unknown")  # a key made for another session
    sent = (pd.DataFrame(store.read_where(PUBLIC_SUBMISSIONS, "link_id", [link_id]))
            if PUBLIC_SUBMISSIONS.name in store.layer_names()
            else pd.DataFrame(columns=list(PUBLIC_SUBMISSIONS.columns)))
    if (sent["pin_id"] == pin_id).any():
        return False
    if int((sent["device"] == device).sum()) >= limits.link_device_pins:
        raise Conflict("link.device_limit", limit=limits.link_device_pins)
    if int((sent["client"] == client).sum()) >= limits.link_client_pins:
        raise Conflict("link.client_limit", limit=limits.link_client_pins)
    row = pd.DataFrame([{"pin_id": pin_id, "link_id": link_id, "town_id": link.town_id,
                         "device": device, "client": client,
                         "at": _iso(now or dt.datetime.now(dt.UTC))}])
    with store.transaction():
        added = capture.add_pins(store, link.session_id, [(pin_id, answer)],
                                 questions={pin_id: questions})
        store.append_batch([(PUBLIC_SUBMISSIONS, row)],
                           unique_keys={PUBLIC_SUBMISSIONS.name: "pin_id"})
    return added == 1
