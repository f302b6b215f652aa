"""A plain HTTP client for the web page, without a browser: it keeps the cookies the server
sets (Secure ones too, as a browser does on a loopback address) and reads each page's CSRF
token, so the forms can be sent as a browser would, or forged as an attacker would."""

from __future__ import annotations

import http.client
import re
import urllib.parse
import uuid
from dataclasses import dataclass, field

_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@dataclass
class Answer:
    """One response: status, headers (lower-case names, Set-Cookie lines kept apart)."""

    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: str

    @property
    def csrf(self) -> str:
        """The CSRF token of the page's first form."""
        found = _CSRF.search(self.body)
        assert found, "no CSRF token on the page"
        return found[1]


@dataclass
class WebClient:
    """One browser's worth of cookies against one server."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None) -> Answer:
        """Send a request with the cookies; redirects are answers, not followed."""
        parts = urllib.parse.urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            raw = response.read()
            set_cookies = response.headers.get_all("set-cookie") or []
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                            set_cookies, raw.decode("utf-8", "replace"))
        finally:
            connection.close()
        for line in set_cookies:
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0].strip('"')
            if "max-age=0" in line.lower() or "expires=thu, 01 jan 1970" in line.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return answer

    def get(self, path: str) -> Answer:
        """GET a page."""
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        """POST a urlencoded form."""
        return self.request("POST", path, urllib.parse.urlencode(fields).encode(),
                            "application/x-www-form-urlencoded")

    def upload(self, path: str, fields: dict[str, str], name: str, data: bytes) -> Answer:
        """POST a multipart form with one file in the field `file`."""
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                 f"{value}\r\n".encode() for key, value in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                     f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                     .encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")

    def sign_in(self, token: str) -> Answer:
        """Sign in through the page's own form."""
        page = self.get("/")
        return self.post("/sign-in", {"csrf_token": page.csrf, "token": token})
