"""Benchmarks run by hand or by `make bench`; each prints its figures (see docs/BENCHMARKS.md)."""
