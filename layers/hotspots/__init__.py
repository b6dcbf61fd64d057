"""Hotspot analysis of fear pins and offences on a hexagonal grid.

One statistic per module, in the manner of PySAL esda: :mod:`.grid` (hexagons in EPSG:5514
and their weights), :mod:`.kde` (binned kernel density), :mod:`.gistar` (Getis-Ord Gi*),
:mod:`.fdr` (Benjamini–Hochberg), :mod:`.classes` (hot/cold bins), :mod:`.fear_crime`
(fear-vs-crime classes, agreement, Lee's L), :mod:`.change` (two periods), :mod:`.evaluation`
(hit rate, PAI), :mod:`.filters` (which pins), :mod:`.privacy` (the public view) and
:mod:`.analysis`, which runs them for a town from the store.
"""
