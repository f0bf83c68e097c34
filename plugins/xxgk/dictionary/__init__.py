"""The metric dictionary (data/metrics.yaml), the report-level checks and reason texts
(data/report_rules.yaml), and the rule catalog and reference data derived from them."""
