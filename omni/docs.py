"""`omni docs`: serve the dbt documentation site generated after each build.

`dbt docs generate` runs at the end of every successful build (asset `docs/dbt_docs`) into
`docs/` beside the working warehouse; this serves that folder over HTTP on this machine.
"""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from omni import settings


def docs_dir() -> Path:
    """The dbt documentation site: `docs/` beside the working warehouse."""
    return settings.warehouse_path().parent / "docs"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """One line per request is noise for a local docs server."""


def docs_server(site: Path, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server on `site` (port 0: any free port); call `serve_forever()` on it."""
    if not (site / "index.html").exists():
        raise FileNotFoundError(
            f"No documentation site in {site}: `omni run` generates it after each build."
        )
    handler = functools.partial(_QuietHandler, directory=str(site))
    return ThreadingHTTPServer((host, port), handler)
