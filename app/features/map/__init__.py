"""The Map page: the town's layers on one map, the side panel of a clicked area, the sources."""
