// Browser audio for the local transport: the microphone (level meter + 16 kHz PCM out)
// and the agent's voice (16-bit PCM segments in, played in order, reported when done).

const MIC_RATE = 16000;
const FRAME = 320; // 20 ms at 16 kHz

// An AudioWorklet that resamples the microphone to 16 kHz and posts 20 ms frames.
const WORKLET = `
class MicTap extends AudioWorkletProcessor {
  constructor() { super(); this.buf = new Float32Array(${FRAME}); this.n = 0; this.pos = 0; this.step = sampleRate / ${MIC_RATE}; }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (!ch) return true;
    for (; this.pos < ch.length; this.pos += this.step) {
      this.buf[this.n++] = ch[Math.floor(this.pos)];
      if (this.n === ${FRAME}) { this.port.postMessage(this.buf.slice(0)); this.n = 0; }
    }
    this.pos -= ch.length;
    return true;
  }
}
registerProcessor("mic-tap", MicTap);
`;

export class Microphone {
  constructor() {
    this.ctx = null;
    this.stream = null;
    this.analyser = null;
    this.onframe = null; // (Int16Array) => void
    this._raf = 0;
  }

  get active() {
    return !!this.stream;
  }

  async open() {
    if (this.stream) return;
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, channelCount: 1 },
    });
    this.ctx = new AudioContext();
    const source = this.ctx.createMediaStreamSource(this.stream);
    this.analyser = this.ctx.createAnalyser();
    this.analyser.fftSize = 1024;
    source.connect(this.analyser);
    const url = URL.createObjectURL(new Blob([WORKLET], { type: "text/javascript" }));
    await this.ctx.audioWorklet.addModule(url);
    const tap = new AudioWorkletNode(this.ctx, "mic-tap");
    tap.port.onmessage = (ev) => {
      if (!this.onframe) return;
      const f = ev.data;
      const pcm = new Int16Array(f.length);
      for (let i = 0; i < f.length; i++) pcm[i] = Math.max(-1, Math.min(1, f[i])) * 0x7fff;
      this.onframe(pcm);
    };
    source.connect(tap);
    // Keep the graph pulling without playing the microphone back.
    const mute = this.ctx.createGain();
    mute.gain.value = 0;
    tap.connect(mute).connect(this.ctx.destination);
  }

  /** Level 0..1 (RMS, scaled for display). */
  level() {
    if (!this.analyser) return 0;
    const data = new Float32Array(this.analyser.fftSize);
    this.analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (const v of data) sum += v * v;
    return Math.min(1, Math.sqrt(sum / data.length) * 4);
  }

  /** Drive a meter element (<span> inside .meter) until stopped. */
  meter(fill, onlevel) {
    cancelAnimationFrame(this._raf);
    const tick = () => {
      const l = this.level();
      fill.style.width = `${Math.round(l * 100)}%`;
      fill.parentElement.setAttribute("aria-valuenow", String(Math.round(l * 100)));
      if (onlevel) onlevel(l);
      this._raf = requestAnimationFrame(tick);
    };
    tick();
  }

  stopMeter() {
    cancelAnimationFrame(this._raf);
  }

  close() {
    this.stopMeter();
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    if (this.ctx) this.ctx.close();
    this.stream = null;
    this.ctx = null;
  }
}

/** Plays the agent's speech segments in order; calls onplayed(segment) when one is done. */
export class VoicePlayer {
  constructor(onplayed) {
    this.onplayed = onplayed;
    this.ctx = null;
    this.muted = false;
    this.current = null;
    this.nextTime = 0;
    this.sources = new Set();
    this.segmentsPlayed = 0;
    this.secondsPlayed = 0;
    this.onchange = null;
  }

  /** Call from a user gesture (autoplay rules). */
  unlock() {
    if (!this.ctx) this.ctx = new AudioContext();
    if (this.ctx.state === "suspended") this.ctx.resume();
  }

  start(segment, sampleRate) {
    this.current = { segment, sampleRate, pending: 0, ended: false, seconds: 0 };
  }

  chunk(buffer) {
    const seg = this.current;
    if (!seg || this.muted || !this.ctx) return;
    const pcm = new Int16Array(buffer);
    if (!pcm.length) return;
    const audio = this.ctx.createBuffer(1, pcm.length, seg.sampleRate);
    const ch = audio.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) ch[i] = pcm[i] / 0x8000;
    const src = this.ctx.createBufferSource();
    src.buffer = audio;
    src.connect(this.ctx.destination);
    const at = Math.max(this.ctx.currentTime + 0.03, this.nextTime);
    src.start(at);
    this.nextTime = at + audio.duration;
    seg.pending += 1;
    seg.seconds += audio.duration;
    this.sources.add(src);
    src.onended = () => {
      this.sources.delete(src);
      seg.pending -= 1;
      this._check(seg);
    };
  }

  end(segment) {
    const seg = this.current;
    if (!seg || seg.segment !== segment) {
      this.onplayed(segment);
      return;
    }
    seg.ended = true;
    this._check(seg);
  }

  clear(segment) {
    for (const src of this.sources) {
      try {
        src.stop();
      } catch {
        /* already stopped */
      }
    }
    this.sources.clear();
    this.nextTime = 0;
    if (this.current && this.current.segment === segment) this.current = null;
  }

  _check(seg) {
    if (!seg.ended || seg.pending > 0 || seg.done) return;
    seg.done = true;
    if (seg.seconds > 0) {
      this.segmentsPlayed += 1;
      this.secondsPlayed += seg.seconds;
    }
    this.onplayed(seg.segment);
    if (this.onchange) this.onchange();
  }
}
