"""The metric dictionary (data/metrics.yaml) and the reference data derived from it."""
