"""A town as people name it: its id (``litvinov``) or its name in any case, with or without
diacritics (``Litvínov``, ``LITVINOV``, ``litvínov``), resolved to the town's id."""

from __future__ import annotations

from layers.errors import NotFound
from layers.schema import TOWNS
from layers.store import Store
from layers.strategy.search import fold


def resolve_town(store: Store, given: str) -> str:
    """The id of the town ``given`` names: an id as it is, else the one town whose id or name
    equals ``given`` once case, diacritics and surrounding spaces are ignored.

    Raises ``NotFound`` (``import.unknown_town``) when no town, or more than one, matches.
    """
    towns = store.read_columns(TOWNS, ["town_id", "name"])
    ids = [str(t) for t in towns["town_id"]]
    if given in ids:
        return given
    wanted = fold(given.strip())
    matches = {town_id for town_id, name in zip(ids, towns["name"].astype(str), strict=True)
               if wanted in (fold(town_id), fold(name))}
    if len(matches) != 1:
        raise NotFound("import.unknown_town", town=given)
    return matches.pop()
