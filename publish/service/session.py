"""The web page's sign-in and form protection: the API token kept in a Secure, HttpOnly,
SameSite cookie, and a CSRF token on every form, an HMAC of a per-browser nonce under a
secret of the data folder (a forged or injected cookie cannot produce a matching token)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "publish_session"
NONCE_COOKIE = "publish_csrf"
CSRF_FIELD = "csrf_token"
_SESSION_DAYS = 7


class Guard:
    """Issues and checks CSRF tokens with the data folder's secret."""

    def __init__(self, data: Path) -> None:
        self.secret = _secret(data / "web-secret")

    def nonce(self, request: Request) -> str:
        """The browser's nonce: its cookie, or a new one the response must set."""
        found = request.cookies.get(NONCE_COOKIE, "")
        return found if 16 <= len(found) <= 64 and found.isalnum() else secrets.token_hex(16)

    def token(self, nonce: str) -> str:
        """The CSRF token a form carries for this nonce."""
        return hmac.new(self.secret, nonce.encode(), hashlib.sha256).hexdigest()

    def valid(self, request: Request, sent: object) -> bool:
        """Whether a submitted form's token matches the browser's nonce cookie."""
        nonce = request.cookies.get(NONCE_COOKIE, "")
        return bool(nonce) and isinstance(sent, str) and hmac.compare_digest(
            self.token(nonce), sent)


def _secret(path: Path) -> bytes:
    """The data folder's secret, made once and readable by its owner only; written aside
    and linked in, so two processes starting together end with the same one."""
    if not path.exists():
        aside = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        handle = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(secrets.token_bytes(32))
        try:
            os.link(aside, path)
        except FileExistsError:
            pass
        finally:
            aside.unlink()
    return path.read_bytes()


def keep_nonce(response: Response, nonce: str) -> None:
    """Set the browser's nonce cookie (it only ties forms to this browser)."""
    response.set_cookie(NONCE_COOKIE, nonce, httponly=True, secure=True, samesite="lax",
                        path="/")


def sign_in(response: Response, token: str) -> None:
    """Keep the API token in the session cookie, out of reach of scripts."""
    response.set_cookie(SESSION_COOKIE, token, max_age=_SESSION_DAYS * 86400, httponly=True,
                        secure=True, samesite="lax", path="/")


def sign_out(response: Response) -> None:
    """Drop the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True,
                           samesite="lax")
