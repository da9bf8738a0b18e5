"""Benchmarks and the scenario generators they (and some tests) use."""
