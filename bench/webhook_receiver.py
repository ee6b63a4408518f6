"""A fast local receiver for the webhook benchmark: asyncio, no framework, one process per
port, keep-alive HTTP/1.1, answers every POST 200 with an empty body after reading it.

Usage: python bench/webhook_receiver.py PORT [PORT…]   (one process per port)"""

import asyncio
import sys

OK = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"


class Http(asyncio.Protocol):
    def connection_made(self, transport):
        self.t, self.buf = transport, b""

    def data_received(self, data):
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buf[:end].lower()
            n = 0
            at = head.find(b"content-length:")
            if at >= 0:
                n = int(head[at + 15 :].split(b"\r\n", 1)[0])
            if len(self.buf) < end + 4 + n:
                return
            self.buf = self.buf[end + 4 + n :]
            self.t.write(OK)


async def main(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Http, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
