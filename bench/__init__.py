"""Benchmark scripts (run as files: python bench/calculators.py) and the search evaluator the tests share."""
