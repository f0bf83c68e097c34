"""Landing: inbox files and fetched URLs into the content-addressed raw store (no parsing)."""
