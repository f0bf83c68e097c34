"""Synthetic reports: the demo samples and the generated corpus (tests, benches, demo)."""
