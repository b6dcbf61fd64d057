"""Reads and writes of pins and sessions that check the caller's rights and log to the audit.

Every function takes the :class:`Principal` asking. What a role gets:

* the public (and any role without a right below) — the public pin view only: approved,
  non-sensitive pins exact and without free text, sensitive ones as cells of at least k
  (``layers.privacy.public_pin_view``);
* a facilitator (``run_sessions``) — every pin of the sessions its centre organised
  (``sessions.organiser`` equals the account's centre), nothing of other centres;
* moderators, police and admins (``view_exact_sensitive``) — every pin.

Towns are tenants: whatever a role gets, it gets in the towns of the principal
(``Principal.towns``); of any other town it gets what the public gets, and a change there is
refused. Audit entries name the town they concern.

Handing out exact sensitive pins (a view or an internal export) and every change are written
to the audit log, a change in the same transaction as its entry. Raises :class:`AccessDenied`
when the right or the scope is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from layers.access import audit
from layers.access.principal import AccessDenied, Principal
from layers.access.roles import MODERATE, RUN_SESSIONS, VIEW_EXACT_SENSITIVE
from layers.mapping import capture, links, moderation, questions
from layers.mapping import export as pin_export
from layers.mapping import sessions as mapping_sessions
from layers.privacy import public_exact_pins, public_pin_cells, public_pin_view
from layers.schema import PINS, SENSITIVE_CATEGORIES, SESSIONS
from layers.store import Store
from layers.vocabulary import PUBLIC_K

#: Side (m) of the cells public views of pins count sensitive answers in (at least
#: ``PUBLIC_K`` a cell).
PUBLIC_CELL_M = 200.0


@dataclass(frozen=True)
class PinView:
    """Pins a principal may see. ``exact`` False: ``pins`` is the public view and ``cells``
    the sensitive answers as counted squares; True: ``pins`` are stored pins and ``cells`` None."""

    pins: gpd.GeoDataFrame
    cells: gpd.GeoDataFrame | None
    exact: bool


def _sees_exact(principal: Principal) -> bool:
    return principal.can(VIEW_EXACT_SENSITIVE) or principal.can(RUN_SESSIONS)


def sessions_for(principal: Principal, store: Store, town_id: str | None = None
                 ) -> pd.DataFrame:
    """The sessions (of a town, or of all its towns) within ``principal``'s scope, oldest
    first.

    Raises ``AccessDenied`` unless the principal runs sessions, moderates or sees exact pins,
    and for a town outside its towns.
    """
    if not (_sees_exact(principal) or principal.can(MODERATE)):
        raise principal.refusal("access.session_list")
    if town_id is not None:
        principal.require_town(town_id)
    sessions = pd.DataFrame(store.read(SESSIONS, town_id))
    if principal.towns is not None:
        sessions = sessions[sessions["town_id"].astype(str).isin(principal.towns)]
    if not principal.sees_all_centres():
        sessions = sessions[sessions["organiser"].astype(str).str.strip()
                            == principal.centre.strip()]
    return sessions.sort_values(["date", "session_id"]).reset_index(drop=True)


def public_sessions(store: Store, town_id: str) -> pd.DataFrame:
    """The sessions of ``town_id`` as a public view may name them: ``place`` and ``date``,
    plus ``session_id`` for selecting pins on the server (never shown), oldest first. Open to
    all: who organised a session and how is not part of it."""
    sessions = pd.DataFrame(store.read(SESSIONS, town_id))
    return sessions[["session_id", "place", "date"]].sort_values(
        ["date", "session_id"]).reset_index(drop=True)


def _session(principal: Principal, store: Store, session_id: str) -> dict[str, object]:
    """The session row, when it is within the principal's towns and centre (else
    ``AccessDenied``)."""
    session = capture.load_session(store, session_id)
    principal.require_town(str(session["town_id"]))
    if not principal.owns_session(str(session["organiser"])):
        raise AccessDenied("access.other_centre_session", session=session_id,
                           centre=principal.centre)
    return session


def pins_for(principal: Principal, store: Store, town_id: str,
             session_id: str | None = None) -> PinView:
    """The pins of ``town_id`` (optionally one session) that ``principal`` may see: the
    public view of a town outside its towns.

    An exact view holding sensitive pins is audited ("view_exact_pins", once per user and
    scope within ``audit.VIEW_MEMORY_S``). Raises ``AccessDenied`` for a session outside a
    facilitator's centre and ``ValueError`` for an unknown session.
    """
    sees_exact = _sees_exact(principal) and principal.covers(town_id)
    pins = store.read(PINS, town_id)
    if session_id is not None:
        if sees_exact:
            _session(principal, store, session_id)
        pins = pins[pins["session_id"] == session_id]
    if not sees_exact:
        if session_id is None:  # the cells are counted where the pins are stored
            exact = public_exact_pins(pins)
            cells = public_pin_cells(store, town_id, k=PUBLIC_K, cell_m=PUBLIC_CELL_M)
        else:  # no sensitive cells of one session: differencing
            exact, cells = public_pin_view(pins, k=PUBLIC_K, cell_m=PUBLIC_CELL_M)
            cells = cells.iloc[0:0]
        return PinView(exact, cells, exact=False)
    if not principal.sees_all_centres():
        own = set(sessions_for(principal, store, town_id)["session_id"])
        pins = pins[pins["session_id"].isin(own)]
    pins = gpd.GeoDataFrame(pins).reset_index(drop=True)
    sensitive = pins[pins["category"].isin(SENSITIVE_CATEGORIES)]
    if len(sensitive):
        audit.record_view(store, principal, "view_exact_pins", PINS.name,
                          sorted(sensitive["session_id"].astype(str).unique()),
                          {"town_id": town_id, "sensitive_pins": len(sensitive)}, town_id)
    return PinView(pins, None, exact=True)


def export_pins(principal: Principal, store: Store, town_id: str, out: Path, fmt: str, *,
                session_id: str | None = None, public: bool = False,
                options: pin_export.ExportOptions = pin_export.DEFAULT_OPTIONS
                ) -> dict[str, int]:
    """``layers.mapping.export.export_pins`` for ``principal``; returns its counts.

    A public export is open to all. An internal one (exact pins, free text) needs
    ``view_exact_sensitive`` in ``town_id``, or ``run_sessions`` for one session of the
    facilitator's own centre there; it is audited. Raises ``AccessDenied`` otherwise.
    """
    if public:
        return pin_export.export_pins(store, town_id, out, fmt, session_id=session_id,
                                      public=True, k=PUBLIC_K, options=options)
    principal.require_town(town_id)
    if not principal.can(VIEW_EXACT_SENSITIVE):
        principal.require(RUN_SESSIONS)
        if session_id is None:
            raise AccessDenied("access.export_one_session")
        _session(principal, store, session_id)
    counts = pin_export.export_pins(store, town_id, out, fmt, session_id=session_id,
                                    options=options)
    audit.record(store, principal, "export_internal_pins", PINS.name,
                 [session_id] if session_id else [],
                 {"town_id": town_id, "format": fmt, "pins": counts["pins"]}, town_id)
    return counts


def create_session(principal: Principal, store: Store,
                   data: mapping_sessions.SessionInput) -> str:
    """Create a session (right ``run_sessions`` in ``data.town_id``); a facilitator only for
    its own centre (``data.organiser`` must be the centre). Audited. Raises as
    ``layers.mapping.sessions.create_session`` and ``AccessDenied``."""
    principal.require(RUN_SESSIONS, town=data.town_id)
    if not principal.owns_session(data.organiser):
        raise AccessDenied("access.other_centre_create", organiser=data.organiser,
                           centre=principal.centre)
    with store.transaction():
        session_id = mapping_sessions.create_session(store, data)
        audit.record(store, principal, "create_session", SESSIONS.name, [session_id],
                     {"town_id": data.town_id, "organiser": data.organiser}, data.town_id)
    return session_id


def add_pins(principal: Principal, store: Store, session_id: str,
             answers: list[tuple[str, capture.PinAnswer]], transcribed: bool = False,
             questions: Mapping[str, Mapping[str, object]] | None = None) -> int:
    """Store pins of a session within the principal's scope (right ``run_sessions``), with
    their ``questions`` answers (``capture.add_pins``); return how many were new. Audited
    with the new pins' ids. Raises as ``capture.add_pins``."""
    principal.require(RUN_SESSIONS)
    town_id = str(_session(principal, store, session_id)["town_id"])
    with store.transaction():
        added = capture.add_pins(store, session_id, answers, transcribed=transcribed,
                                 questions=questions)
        if added:
            audit.record(store, principal, "add_pins", PINS.name, [pid for pid, _ in answers],
                         {"session_id": session_id, "added": added,
                          "transcribed": transcribed}, town_id)
    return added


def create_link(principal: Principal, store: Store, session_id: str, *,
                starts_at: dt.datetime | None = None, until: dt.datetime | None = None
                ) -> links.SessionLink:
    """Open a public link for a session in scope (right ``run_sessions``); audited. Raises
    as ``links.create_link`` and ``AccessDenied``."""
    principal.require(RUN_SESSIONS)
    town_id = str(_session(principal, store, session_id)["town_id"])
    with store.transaction():
        link = links.create_link(store, session_id, starts_at=starts_at, until=until)
        audit.record(store, principal, "create_link", SESSIONS.name, [session_id],
                     {"until": link.until.isoformat(timespec="seconds")}, town_id)
    return link


def add_question(principal: Principal, store: Store, session_id: str, kind: str, text: str,
                 options: list[str]) -> questions.Question:
    """Add a question to a session in scope (right ``run_sessions``); audited. Raises as
    ``questions.add_question`` and ``AccessDenied``."""
    principal.require(RUN_SESSIONS)
    session = _session(principal, store, session_id)
    with store.transaction():
        question = questions.add_question(store, session, kind, text, options)
        audit.record(store, principal, "add_question", SESSIONS.name, [session_id],
                     {"kind": kind}, str(session["town_id"]))
    return question


def undo_pin(principal: Principal, store: Store, session_id: str, pin_id: str) -> bool:
    """Remove a pending pin of a session in scope (right ``run_sessions``); audited."""
    principal.require(RUN_SESSIONS)
    town_id = str(_session(principal, store, session_id)["town_id"])
    pins = store.read(PINS)
    if not ((pins["pin_id"] == pin_id) & (pins["session_id"] == session_id)).any():
        return False
    with store.transaction():
        removed = capture.undo_pin(store, pin_id)
        if removed:
            audit.record(store, principal, "undo_pin", PINS.name, [pin_id],
                         {"session_id": session_id}, town_id)
    return removed


def approve(principal: Principal, store: Store, pin_ids: list[str]) -> int:
    """``moderation.approve`` for a moderator (right ``moderate`` in the pins' towns);
    audited."""
    town_id = _pins_town(principal, store, pin_ids)
    return _moderated(principal, store, "approve_pins", pin_ids,
                      lambda: moderation.approve(store, pin_ids), {}, town_id)


def approve_without_note(principal: Principal, store: Store, pin_ids: list[str]) -> int:
    """``moderation.approve_without_note`` for a moderator (right ``moderate`` in the pins'
    towns); audited."""
    town_id = _pins_town(principal, store, pin_ids)
    return _moderated(principal, store, "approve_pins", pin_ids,
                      lambda: moderation.approve_without_note(store, pin_ids),
                      {"note_removed": True}, town_id)


def reject(principal: Principal, store: Store, pin_ids: list[str], reason: str) -> int:
    """``moderation.reject`` for a moderator (right ``moderate`` in the pins' towns); audited
    with the reason."""
    town_id = _pins_town(principal, store, pin_ids)
    return _moderated(principal, store, "reject_pins", pin_ids,
                      lambda: moderation.reject(store, pin_ids, reason),
                      {"reason": reason.strip()}, town_id)


def recategorise(principal: Principal, store: Store, pin_ids: list[str], category: str) -> int:
    """``moderation.recategorise`` for a moderator (right ``moderate`` in the pins' towns);
    audited."""
    town_id = _pins_town(principal, store, pin_ids)
    return _moderated(principal, store, "recategorise_pins", pin_ids,
                      lambda: moderation.recategorise(store, pin_ids, category),
                      {"category": category}, town_id)


def approve_selection(principal: Principal, store: Store, selection: moderation.Selection
                      ) -> int:
    """``moderation.approve_selection`` for a moderator (right ``moderate`` in the
    selection's town); one audit entry naming the session or batch and the count, in the
    same transaction as the decision."""
    principal.require(MODERATE, town=selection.town_id)
    return _moderated(principal, store, "approve_pins", [],
                      lambda: moderation.approve_selection(store, selection),
                      dict(selection.detail), selection.town_id)


def reject_selection(principal: Principal, store: Store, selection: moderation.Selection,
                     reason: str) -> int:
    """``moderation.reject_selection`` for a moderator (right ``moderate`` in the
    selection's town); audited with the reason, in the same transaction as the decision."""
    principal.require(MODERATE, town=selection.town_id)
    return _moderated(principal, store, "reject_pins", [],
                      lambda: moderation.reject_selection(store, selection, reason),
                      {**selection.detail, "reason": reason.strip()}, selection.town_id)


def _pins_town(principal: Principal, store: Store, pin_ids: list[str]) -> str:
    """Check ``moderate`` in every town of ``pin_ids``; return the town they are of ("" for
    none or several)."""
    principal.require(MODERATE)
    towns = sorted(set(store.read_where(PINS, "pin_id", pin_ids)["town_id"].astype(str))) \
        if pin_ids else []
    for town in towns:
        principal.require_town(town)
    return towns[0] if len(towns) == 1 else ""


def _moderated(principal: Principal, store: Store, action: str, pin_ids: list[str],
               change: Callable[[], int], detail: dict[str, object], town_id: str) -> int:
    """Run ``change`` (returning the pins it changed) and log it, in one transaction."""
    with store.transaction():
        changed = change()
        if changed:
            audit.record(store, principal, action, PINS.name, pin_ids,
                         {**detail, "changed": changed}, town_id)
    return changed
