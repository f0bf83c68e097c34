"""Quality: Great Expectations suites over the built warehouse."""
