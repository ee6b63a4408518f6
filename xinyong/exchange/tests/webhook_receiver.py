"""A local HTTP receiver for the webhook tests: a thread running ``http.server`` on
127.0.0.1 that answers each POST with the next planned status (then 200) and keeps what it
received (headers and body), as a department's system would see it, and how many
connections reached it."""

import http.server
import threading


class Receiver:
    def __init__(self, plan: list[int] | None = None):
        self.plan = list(plan or [])
        self.received: list[tuple[dict, bytes]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                outer.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                code = outer.plan.pop(0) if outer.plan else 200
                self.send_response(code)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            def verify_request(self, request, client_address):
                outer.connections += 1  # any connection, even one that sends no request
                return True

        self.connections = 0
        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
