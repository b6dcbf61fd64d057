"""PostgreSQL restarted while the app writes: the store reconnects by itself, a write in
flight is either stored once or reported, and nothing is lost or doubled.

The cluster is this test's own (a restart would cut every other test's connections).
"""

from __future__ import annotations

import threading
import time

import geopandas as gpd
from shapely.geometry import Point

from layers.store import StoreError, open_store
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools
from tests.layers.store.sample import frames

#: Writes stored before the restart, and after it, before the writer stops.
WRITES_EACH_SIDE = 30
DEADLINE_S = 120


def _service(key: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"service_id": [key], "town_id": ["a"], "name": [key],
                             "service_type": ["school"], "synthetic": [True]},
                            geometry=[Point(13.6, 50.6)], crs="EPSG:4326")


def _server_start(cluster: TemporaryCluster) -> object:
    with cluster.connect("postgres") as conn:
        row = conn.execute("SELECT pg_postmaster_start_time()").fetchone()
    assert row is not None
    return row[0]


def test_writer_loop_survives_a_server_restart() -> None:
    with TemporaryCluster() as cluster:
        url = cluster.new_database()
        store = open_store(url)
        store.replace_all(frames())
        stored_once: list[str] = []  # keys whose write returned success
        reported: list[str] = []  # keys whose write raised (then retried with the same key)
        stop = threading.Event()
        crashed: list[BaseException] = []

        def writer() -> None:
            try:
                number = 0
                while not stop.is_set():
                    key = f"w-{number}"
                    try:
                        # a tablet's pin: idempotent by its key, so a retry cannot double it
                        store.append_batch([("services", _service(key))],
                                           unique_keys={"services": "service_id"})
                    except StoreError as exc:
                        assert exc.code == "store.unavailable", exc
                        reported.append(key)
                        continue  # the same key again, as the tablet retries
                    stored_once.append(key)
                    number += 1
            except BaseException as exc:  # handed to the test thread, which fails with it
                crashed.append(exc)

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            deadline = time.monotonic() + DEADLINE_S
            while len(stored_once) < WRITES_EACH_SIDE and not crashed:
                assert time.monotonic() < deadline, "the writer stored too little"
                thread.join(timeout=0.05)
            started = _server_start(cluster)
            cluster.restart()
            assert _server_start(cluster) != started
            after_restart = len(stored_once)
            while len(stored_once) < after_restart + WRITES_EACH_SIDE and not crashed:
                assert time.monotonic() < deadline, "the writer did not reconnect"
                thread.join(timeout=0.05)
        finally:
            stop.set()
            thread.join(timeout=DEADLINE_S)
        assert not crashed, crashed
        ids = store.read("services")["service_id"].tolist()
        close_pools(url)
    mine = [i for i in ids if i.startswith("w-")]
    assert len(mine) == len(set(mine)), "a write was stored twice"
    assert sorted(mine) == sorted(stored_once), "a successful write is missing"
    assert len(ids) == 2 + len(stored_once)
    # a failure was reported only for writes in flight at the restart, then stored once
    assert set(reported) <= set(stored_once)
