"""The local WebSocket transport: the browser talks to an agent session running inside
``voicehire serve`` (the embedded default, no LiveKit server).

* :mod:`.audio` — the page's microphone in, the agent's voice out;
* :mod:`.session` — one live session per room, numbered replayable messages, the
  manager of every session in this process;
* :mod:`.protocol` — the frames on the socket (typed in
  :mod:`voicehire.domain.messages`) and the loop that serves one socket.
"""
