"""A TCP relay on loopback in front of a real server, which a test can stop (open
connections reset, the port refused) or turn into a black hole (connections accepted,
never answered): a database going away without touching the shared server."""

from __future__ import annotations

import asyncio
import contextlib


class Relay:
    """Forwards a loopback port to the real server; ``stop``/``black_hole``/``start``."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.mode = "forward"
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self.mode = "forward"
        self.server = await asyncio.start_server(self._client, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    def _drop_all(self) -> None:
        for w in list(self.writers):
            w.transport.abort()
        self.writers.clear()

    async def stop(self) -> None:
        """The server is down: open connections reset, new ones refused."""
        assert self.server is not None
        self.server.close()
        self._drop_all()
        await self.server.wait_closed()
        self.server = None

    def black_hole(self) -> None:
        """The server is unreachable: open connections dropped, new ones never answered."""
        self.mode = "black_hole"
        self._drop_all()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.writers.add(writer)
        if self.mode == "black_hole":
            await reader.read()  # hold the connection, say nothing
            return
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers.add(up_writer)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
