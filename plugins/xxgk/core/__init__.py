"""Shared foundations every stage may import: types, exceptions, limits, paths, text."""
