"""Benchmarks: run on demand with `make bench`; they print tables, they assert nothing."""
