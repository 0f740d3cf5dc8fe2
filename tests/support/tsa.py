"""A time-stamp authority speaking RFC 3161 over HTTP on 127.0.0.1, with the test PKI's
TSA certificate: what pyHanko's HTTP client talks to in production, answered by pyHanko's
own reference responder. Stopped, the port answers nothing: an outage."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import tsp
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tests.support.signing import TestPki


class TimestampServer:
    def __init__(self, pki: TestPki) -> None:
        stamper = DummyTimeStamper(
            tsa_cert=pki.asn1(pki.tsa), tsa_key=pki.asn1_key(pki.tsa),
            certs_to_embed=SimpleCertificateStore.from_certs([pki.asn1(pki.tsa_root)]))
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                server.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}/tsr"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()
