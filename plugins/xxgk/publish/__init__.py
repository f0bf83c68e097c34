"""Publish: the reviewer site, exports and the read-only views of the warehouse."""
