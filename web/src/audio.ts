// Browser audio for the local transport: the microphone (level meter + 16 kHz PCM out)
// and the agent's voice (16-bit PCM segments in, played in order, reported when done).
import micTapUrl from "./mic-tap.worklet.ts?worker&url";

/** Float samples (-1..1) as 16-bit PCM, clipped. */
export function floatToPcm16(samples: Float32Array): Int16Array {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) pcm[i] = Math.max(-1, Math.min(1, samples[i] ?? 0)) * 0x7fff;
  return pcm;
}

/** RMS level of float samples scaled to 0..1 for display. */
export function displayLevel(samples: Float32Array): number {
  if (!samples.length) return 0;
  let sum = 0;
  for (const v of samples) sum += v * v;
  return Math.min(1, Math.sqrt(sum / samples.length) * 4);
}

export class Microphone {
  private ctx: AudioContext | null = null;
  private stream: MediaStream | null = null;
  private analyser: AnalyserNode | null = null;
  private raf = 0;
  /** Receives 20 ms frames of 16 kHz PCM while the microphone is open. */
  onframe: ((pcm: Int16Array) => void) | null = null;

  get active(): boolean {
    return this.stream !== null;
  }

  async open(): Promise<void> {
    if (this.stream) return;
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, channelCount: 1 },
    });
    const ctx = new AudioContext();
    this.ctx = ctx;
    const source = ctx.createMediaStreamSource(this.stream);
    this.analyser = ctx.createAnalyser();
    this.analyser.fftSize = 1024;
    source.connect(this.analyser);
    await ctx.audioWorklet.addModule(micTapUrl);
    const tap = new AudioWorkletNode(ctx, "mic-tap");
    tap.port.onmessage = (ev: MessageEvent<Float32Array>) => {
      this.onframe?.(floatToPcm16(ev.data));
    };
    source.connect(tap);
    // Keep the graph pulling without playing the microphone back.
    const mute = ctx.createGain();
    mute.gain.value = 0;
    tap.connect(mute).connect(ctx.destination);
  }

  /** Level 0..1 (RMS, scaled for display). */
  level(): number {
    if (!this.analyser) return 0;
    const data = new Float32Array(this.analyser.fftSize);
    this.analyser.getFloatTimeDomainData(data);
    return displayLevel(data);
  }

  /** Call onlevel with the level on every animation frame until stopMeter(). */
  meter(onlevel: (level: number) => void): void {
    cancelAnimationFrame(this.raf);
    const tick = () => {
      onlevel(this.level());
      this.raf = requestAnimationFrame(tick);
    };
    tick();
  }

  stopMeter(): void {
    cancelAnimationFrame(this.raf);
  }

  close(): void {
    this.stopMeter();
    this.stream?.getTracks().forEach((t) => t.stop());
    void this.ctx?.close();
    this.stream = null;
    this.ctx = null;
  }
}

interface Segment {
  segment: number;
  sampleRate: number;
  pending: number;
  ended: boolean;
  done: boolean;
  seconds: number;
}

/** Plays the agent's speech segments in order; calls onplayed(segment) when one is done. */
export class VoicePlayer {
  private ctx: AudioContext | null = null;
  private nextTime = 0;
  muted = false;
  current: Segment | null = null;
  readonly sources = new Set<AudioBufferSourceNode>();
  segmentsPlayed = 0;
  secondsPlayed = 0;
  onchange: (() => void) | null = null;

  constructor(private readonly onplayed: (segment: number) => void) {}

  /** Call from a user gesture (autoplay rules). */
  unlock(): void {
    this.ctx ??= new AudioContext();
    if (this.ctx.state === "suspended") void this.ctx.resume();
  }

  get playing(): boolean {
    return this.sources.size > 0;
  }

  start(segment: number, sampleRate: number): void {
    this.current = { segment, sampleRate, pending: 0, ended: false, done: false, seconds: 0 };
  }

  chunk(buffer: ArrayBuffer): void {
    const seg = this.current;
    const ctx = this.ctx;
    if (!seg || this.muted || !ctx) return;
    const pcm = new Int16Array(buffer);
    if (!pcm.length) return;
    const audio = ctx.createBuffer(1, pcm.length, seg.sampleRate);
    const ch = audio.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) ch[i] = (pcm[i] ?? 0) / 0x8000;
    const src = ctx.createBufferSource();
    src.buffer = audio;
    src.connect(ctx.destination);
    const at = Math.max(ctx.currentTime + 0.03, this.nextTime);
    src.start(at);
    this.nextTime = at + audio.duration;
    seg.pending += 1;
    seg.seconds += audio.duration;
    this.sources.add(src);
    src.onended = () => {
      this.sources.delete(src);
      seg.pending -= 1;
      this.check(seg);
    };
  }

  end(segment: number): void {
    const seg = this.current;
    if (!seg || seg.segment !== segment) {
      this.onplayed(segment);
      return;
    }
    seg.ended = true;
    this.check(seg);
  }

  clear(segment: number | undefined): void {
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

  private check(seg: Segment): void {
    if (!seg.ended || seg.pending > 0 || seg.done) return;
    seg.done = true;
    if (seg.seconds > 0) {
      this.segmentsPlayed += 1;
      this.secondsPlayed += seg.seconds;
    }
    this.onplayed(seg.segment);
    this.onchange?.();
  }
}
