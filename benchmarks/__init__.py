"""Benchmarks of srb-eval at authority, all-Wales and all-England scale (see README.md)."""
