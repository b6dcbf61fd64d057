"""The Area page: goals, measures, indicators and unaddressed hotspots of a town or locality."""
