"""Debian's Chromium as every browser test and benchmark starts it (one place for the flags)."""

from __future__ import annotations

import http.server

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # no request may leave the machine: no updates, sync, QUIC probes or first-run pings
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass
