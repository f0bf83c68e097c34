"""The review loop: what a reviewer can decide about, recording decisions, and the local app.

``items`` reads findings, cells and reports (with their stable ``item_id``) and the
decisions' states from the marts; ``decide`` checks and appends a decision to the log
(``xxgk.core.decisions``); ``app`` serves the reviewer's pages with forms on 127.0.0.1.
The CLI (``xxgk review``) and the app share all of it.
"""
