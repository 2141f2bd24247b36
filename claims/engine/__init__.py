"""ClaimTrack's text engine: pure Python, no Django, so it can be tested and benchmarked
on its own. Nothing in this package may import Django or the rest of the project."""
