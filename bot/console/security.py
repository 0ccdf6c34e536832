"""Security headers on every console response.

The console shows the most sensitive data the hotline holds, so pages may not
be framed, cached, sniffed or leak their address in a Referer, and the CSP
allows scripts and styles only from the console itself (no inline scripts:
page scripts live in static/*.js).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.wrappers import Response

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

HSTS = "max-age=31536000"


def init_security(app: Flask, *, https: bool) -> None:
    """Add the headers after every request (errors and static files included)."""

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers[name] = value
        if https:
            response.headers["Strict-Transport-Security"] = HSTS
        return response
