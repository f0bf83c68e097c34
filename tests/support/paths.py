"""Where the checkout and the domain material beside it are: the one definition the tests use."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES_INBOX = REPO / "samples" / "inbox"
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
REAL = SHARED / "eval" / "real"
HARD = SHARED / "eval" / "hard"
# screenshots and pages the browser tests leave for a reader (gitignored)
ARTIFACTS = REPO / "artifacts"
