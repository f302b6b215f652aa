"""API tokens: each names its owner, is shown once and is kept only as its SHA-256, so a
copy of the data folder gives nobody a working token."""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from publish.files import write_atomically
from publish.service.store import sha256

OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_PREFIX = "pub_"


@dataclass(frozen=True)
class Token:
    """A stored token: the short id `list` and `revoke` use, its owner and when it was made."""

    ident: str
    owner: str
    created: float


class Tokens:
    """The tokens of one data folder, one file per token under `tokens/`."""

    def __init__(self, data: Path) -> None:
        self.folder = data / "tokens"
        self.folder.mkdir(parents=True, exist_ok=True)

    def create(self, owner: str) -> str:
        """A new token for `owner`; the secret is returned here and never stored."""
        if not OWNER.fullmatch(owner):
            raise ValueError(f"owner name {owner!r}: use 1-64 letters, digits, '.', '_' or "
                             "'-', starting with a letter or digit")
        secret = _PREFIX + secrets.token_urlsafe(32)
        record = {"owner": owner, "created": time.time()}
        write_atomically(self.folder / f"{sha256(secret.encode())}.json",
                         json.dumps(record).encode())
        return secret

    def owner(self, secret: str) -> str | None:
        """The owner of a presented token, or None when it is unknown or revoked."""
        path = self.folder / f"{sha256(secret.encode())}.json"
        try:
            found: str = json.loads(path.read_text())["owner"]
        except (OSError, ValueError, KeyError):
            return None
        return found

    def all(self) -> list[Token]:
        """Every token, oldest first, by its id (the first 12 digits of its hash)."""
        found = []
        for path in self.folder.glob("*.json"):
            record = json.loads(path.read_text())
            found.append(Token(path.stem[:12], record["owner"], record["created"]))
        return sorted(found, key=lambda t: t.created)

    def revoke(self, ident: str) -> int:
        """Remove the tokens whose id starts with `ident` (at least 6 digits) or whose owner
        is `ident`; how many went."""
        gone = 0
        for path in self.folder.glob("*.json"):
            by_id = len(ident) >= 6 and path.stem.startswith(ident)
            if by_id or json.loads(path.read_text())["owner"] == ident:
                path.unlink(missing_ok=True)
                gone += 1
        return gone
