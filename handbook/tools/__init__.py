"""The maintainer's tools behind ``python -m handbook``: the data check and the standards import."""
