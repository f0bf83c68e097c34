"""Where a DAG run may read an inbox and write a warehouse: the ``XXGK_ALLOWED_ROOTS`` setting.

Anyone who can trigger a DAG (the UI, the REST API) chooses its ``inbox`` and ``warehouse``
params. Unbounded, that is any folder the worker can read, and a warehouse (with raw/,
extracted/, quality/ beside it) anywhere it can write. So both must lie, once resolved
(symlinks followed, ``..`` gone), inside one of the allowed roots:

- ``XXGK_ALLOWED_ROOTS``: folders separated by ``os.pathsep`` (``:``); relative ones are
  taken from the working directory, as the params are;
- unset or blank: the folder of the default warehouse (``XXGK_WAREHOUSE``, else
  ``data/warehouse.duckdb``) and the default inbox (``XXGK_INBOX``, else ``data/inbox``):
  the paths a run gets without params.

``xxgk load`` adds the ``--inbox`` and ``--warehouse`` it was given for its own run
(:func:`with_roots`): the user at the shell chose them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

ALLOWED_ROOTS_ENV: Final = "XXGK_ALLOWED_ROOTS"
DEFAULT_INBOX: Final = "data/inbox"
DEFAULT_WAREHOUSE: Final = "data/warehouse.duckdb"


class PathNotAllowed(ValueError):
    """A DAG param names a path outside the allowed roots."""


def allowed_roots(environ: Mapping[str, str] | None = None) -> list[Path]:
    """The allowed roots, resolved, from ``XXGK_ALLOWED_ROOTS`` or its default."""
    env = os.environ if environ is None else environ
    raw = [r for r in env.get(ALLOWED_ROOTS_ENV, "").split(os.pathsep) if r.strip()]
    if not raw:
        raw = [
            str(Path(env.get("XXGK_WAREHOUSE") or DEFAULT_WAREHOUSE).parent),
            env.get("XXGK_INBOX") or DEFAULT_INBOX,
        ]
    return list(dict.fromkeys(Path(r).expanduser().resolve() for r in raw))


def confine(value: str | Path, param: str, environ: Mapping[str, str] | None = None) -> Path:
    """``value`` resolved, when it lies inside an allowed root.

    Args:
        value: the param's path.
        param: ``"inbox"`` (the folder itself must lie inside a root) or ``"warehouse"``
            (its folder, the data directory the load writes, must).
        environ: the settings (``os.environ`` when ``None``).

    Raises:
        PathNotAllowed: outside every allowed root; the message names them and the setting.
    """
    path = Path(value).expanduser().resolve()
    where = path.parent if param == "warehouse" else path
    roots = allowed_roots(environ)
    if any(where.is_relative_to(root) for root in roots):
        return path
    shown = ", ".join(str(r) for r in roots)
    raise PathNotAllowed(
        f"the {param} param {value} is outside the allowed roots ({shown}): give a path "
        f"under one of them, or add its folder to {ALLOWED_ROOTS_ENV} (folders separated "
        f"by '{os.pathsep}') where the DAG runs"
    )


def with_roots(environ: Mapping[str, str], paths: Iterable[Path]) -> dict[str, str]:
    """``environ`` whose allowed roots also hold ``paths`` (resolved)."""
    roots = [*allowed_roots(environ), *(p.resolve() for p in paths)]
    joined = os.pathsep.join(dict.fromkeys(str(r) for r in roots))
    return {**environ, ALLOWED_ROOTS_ENV: joined}
