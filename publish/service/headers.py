"""Headers every answer carries: a Content-Security-Policy that runs no inline script (the
page's one script is a file under /static), and no framing, sniffing or referrer leaks."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
# the check's own HTML report is one self-contained file: its styles are inline
REPORT_CSP = CSP.replace("style-src 'self'", "style-src 'unsafe-inline'")
_FIXED = ((b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
          (b"referrer-policy", b"no-referrer"))


class SecurityHeaders:
    """ASGI middleware adding the headers to every response that does not set its own CSP."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"content-security-policy" for name, _ in headers):
                    headers.append((b"content-security-policy", CSP.encode()))
                headers.extend(_FIXED)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
