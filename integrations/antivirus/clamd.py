"""A client for clamd's INSTREAM command, over a Unix socket or TCP.

The protocol (clamd(8)): send "zINSTREAM\\0", then chunks each prefixed by its length as
a 4-byte big-endian integer, then a zero length; clamd answers one NUL-terminated line:
"stream: OK", "stream: <signature> FOUND" or "... ERROR". Small enough to own rather
than depend on an unmaintained wrapper.
"""

from __future__ import annotations

import logging
import socket
import struct

from .base import ScannerUnavailable, ScanResult, VirusScanner

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
MAX_REPLY_BYTES = 4096
# Scanning is read-only, so a retry is safe; one covers clamd reloading its database.
ATTEMPTS = 2


class ClamdScanner(VirusScanner):
    def __init__(self, *, socket_path: str = "", host: str = "", port: int = 3310,
                 timeout: float = 15.0) -> None:
        if not socket_path and not host:
            raise ValueError("clamd needs a socket path or a host")
        self.socket_path, self.host, self.port, self.timeout = socket_path, host, port, timeout

    def scan(self, data: bytes) -> ScanResult:
        error: Exception | None = None
        for _attempt in range(ATTEMPTS):
            try:
                return _verdict(self._instream(data))
            except OSError as exc:  # refused, reset, timed out
                error = exc
        logger.warning("antivirus_unavailable", extra={"error": repr(error)})
        raise ScannerUnavailable(f"clamd did not answer: {error!r}") from error

    def _connect(self) -> socket.socket:
        if self.socket_path:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.settimeout(self.timeout)
            conn.connect(self.socket_path)
            return conn
        return socket.create_connection((self.host, self.port), timeout=self.timeout)

    def _instream(self, data: bytes) -> str:
        with self._connect() as conn:
            conn.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK_BYTES):
                chunk = data[start:start + CHUNK_BYTES]
                conn.sendall(struct.pack(">I", len(chunk)) + chunk)
            conn.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < MAX_REPLY_BYTES:
                part = conn.recv(MAX_REPLY_BYTES)
                if not part:
                    break
                reply += part
        return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def _verdict(reply: str) -> ScanResult:
    if reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream:").removesuffix(" FOUND").strip()
        return ScanResult(infected=True, signature=signature)
    if reply == "stream: OK":
        return ScanResult(infected=False)
    # "INSTREAM size limit exceeded. ERROR", an empty reply…: no verdict.
    raise ScannerUnavailable(f"clamd answered {reply!r}")
