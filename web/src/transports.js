// Two ways the candidate page reaches the interviewer, with one interface:
//   connect(), answer(text), end(), close(); events through the `on` callbacks:
//   status(state), data(message), interim({text, isAI}), started({hearing, voice}),
//   error({code, message}), audio(played-count change).
// LocalTransport: the embedded default (a WebSocket to `voicehire serve`).
// LiveKitTransport: a LiveKit room joined with the token from the API.

import { VoicePlayer } from "./audio.js";

export class LocalTransport {
  constructor(room, on, mic) {
    this.room = room;
    this.on = on;
    this.mic = mic;
    this.lastSeq = 0;
    this.ws = null;
    this.closed = false;
    this.ended = false;
    this.started = false;
    this.hearing = false;
    this.agentState = "connecting";
    this.retry = 0;
    this.player = new VoicePlayer((segment) => this._send({ type: "played", segment }));
    this.player.onchange = () => this.on.audio && this.on.audio(this.player);
  }

  connect() {
    this.player.unlock();
    this.on.status(this.lastSeq ? "reconnecting" : "connecting");
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${proto}//${location.host}/api/web/live/${encodeURIComponent(this.room)}`);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      ws.send(JSON.stringify({ type: "hello", lastSeq: this.lastSeq }));
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== "string") {
        this.player.chunk(ev.data);
        return;
      }
      this._handle(JSON.parse(ev.data));
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.closed || this.ended) return;
      if (ev.code === 4000 || ev.code === 4404 || ev.code === 4403) {
        this.on.error({ code: "closed", message: ev.reason || "The connection was closed." });
        this.on.status("ended");
        return;
      }
      this.on.status("reconnecting");
      const wait = Math.min(4000, 400 * 2 ** this.retry++);
      setTimeout(() => !this.closed && this.connect(), wait);
    };
    if (this.mic && !this._micWired) {
      this._micWired = true;
      const silence = new Int16Array(320);
      this.mic.onframe = (pcm) => {
        if (!this.hearing || !this.ws || this.ws.readyState !== 1) return;
        // Half duplex: the interviewer only hears the microphone while it listens.
        const open = this.agentState === "listening" && !this.player.sources.size;
        this.ws.send(open ? pcm.buffer : silence.buffer);
      };
    }
  }

  _handle(m) {
    switch (m.type) {
      case "session":
        this.on.session && this.on.session(m);
        if (m.ended) {
          this.ended = true;
          this.on.status("ended");
        } else if (!m.started) {
          this._send({ type: "start" });
        } else {
          this._started(m);
          this._state(m.agentState);
          if (m.yourTurn) this.on.turn && this.on.turn();
        }
        break;
      case "started":
        this._started(m);
        break;
      case "data":
        if (m.seq <= this.lastSeq) return;
        this.lastSeq = m.seq;
        this.on.data(m.message);
        if (m.message.type === "interview_ended") {
          this.ended = true;
          this.on.status("ended");
        }
        break;
      case "agent_state":
        this._state(m.state);
        break;
      case "turn":
        if (this.agentState === "listening") this.on.turn && this.on.turn();
        break;
      case "user_state":
        this.on.userState && this.on.userState(m.state);
        break;
      case "audio_start":
        this.player.start(m.segment, m.sampleRate);
        break;
      case "audio_end":
        this.player.end(m.segment);
        break;
      case "audio_clear":
        this.player.clear(m.segment);
        break;
      case "error":
        this.on.error(m);
        if (m.code === "ended" || m.code === "mode_not_supported") this.ended = true;
        break;
    }
  }

  _started(m) {
    this.started = true;
    this.hearing = !!m.hearing && !!this.mic && this.mic.active;
    this.on.started({ hearing: this.hearing, voice: !!m.voice });
  }

  _state(state) {
    if (this.ended) return;
    this.agentState = state === "initializing" ? "joined" : state;
    this.on.status(this.agentState);
  }

  _send(doc) {
    if (this.ws && this.ws.readyState === 1) {
      this.ws.send(JSON.stringify(doc));
      return true;
    }
    return false;
  }

  answer(text) {
    return this._send({ type: "answer", text });
  }

  end() {
    return this._send({ type: "control", data: { type: "end_interview" } });
  }

  setVoice(on) {
    this.player.muted = !on;
    if (!on) this.player.clear(this.player.current && this.player.current.segment);
  }

  close() {
    this.closed = true;
    if (this.ws) this.ws.close();
  }
}

export class LiveKitTransport {
  constructor(join, on, mic) {
    this.join = join;
    this.on = on;
    this.mic = mic;
    this.room = null;
    this.ended = false;
    this.hearing = true;
    this.player = { segmentsPlayed: 0, secondsPlayed: 0 };
    this.audioEls = [];
  }

  async connect() {
    const { Room, RoomEvent, Track } = await import("livekit-client");
    this.on.status("connecting");
    const room = new Room({ adaptiveStream: true, dynacast: true });
    this.room = room;
    const decoder = new TextDecoder();
    room.on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
      if (topic && topic !== "transcription") return;
      try {
        const msg = JSON.parse(decoder.decode(payload));
        this.on.data(msg);
        if (msg.type === "interview_ended") {
          this.ended = true;
          this.on.status("ended");
        }
      } catch {
        /* not JSON: not ours */
      }
    });
    room.registerTextStreamHandler("lk.transcription", async (reader, info) => {
      const isAI = info.identity !== room.localParticipant.identity;
      for await (const chunk of reader) this.on.interim({ text: chunk, isAI, append: true });
    });
    const agentState = (p) => {
      const state = p.attributes && p.attributes["lk.agent.state"];
      if (state && !this.ended) this.on.status(state === "initializing" ? "joined" : state);
    };
    room.on(RoomEvent.ParticipantAttributesChanged, (_changed, p) => agentState(p));
    room.on(RoomEvent.ParticipantConnected, (p) => {
      if (!this.ended) this.on.status("joined");
      agentState(p);
    });
    room.on(RoomEvent.TrackSubscribed, (track) => {
      if (track.kind === Track.Kind.Audio) {
        const el = track.attach();
        el.onended = () => this.player.segmentsPlayed++;
        document.body.appendChild(el);
        this.audioEls.push(el);
      }
    });
    room.on(RoomEvent.Reconnecting, () => this.on.status("reconnecting"));
    room.on(RoomEvent.Reconnected, () => this.on.status("joined"));
    room.on(RoomEvent.Disconnected, () => {
      if (!this.ended) this.on.status("ended");
    });
    try {
      await room.connect(this.join.livekitUrl, this.join.token);
    } catch (err) {
      this.on.error({ code: "livekit", message: `Could not join the interview room: ${err.message || err}` });
      this.on.status("ended");
      return;
    }
    this.on.status("joined");
    for (const p of room.remoteParticipants.values()) agentState(p);
    let micOn = false;
    try {
      await room.localParticipant.setMicrophoneEnabled(true);
      micOn = true;
    } catch {
      micOn = false;
    }
    this.on.started({ hearing: micOn, voice: true });
  }

  answer(text) {
    if (!this.room) return false;
    this.room.localParticipant.sendText(text, { topic: "lk.chat" });
    return true;
  }

  end() {
    if (!this.room) return false;
    const payload = new TextEncoder().encode(JSON.stringify({ type: "end_interview" }));
    this.room.localParticipant.publishData(payload, { reliable: true, topic: "control" });
    return true;
  }

  setVoice(on) {
    for (const el of this.audioEls) el.muted = !on;
  }

  close() {
    if (this.room) this.room.disconnect();
    this.audioEls.forEach((el) => el.remove());
  }
}
