"""Decoding: a file's bytes → text lines; knows encodings and containers, not table formats."""
