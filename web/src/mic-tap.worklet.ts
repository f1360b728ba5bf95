// An AudioWorklet that resamples the microphone to 16 kHz and posts 20 ms frames
// (Float32Array of 320 samples) to the page. Loaded by audio.ts as a file of its own
// (a worklet from a blob: URL would need a weaker CSP).

// The AudioWorkletGlobalScope is not in TypeScript's DOM library.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;

const MIC_RATE = 16000;
const FRAME = 320;

class MicTap extends AudioWorkletProcessor {
  private buf = new Float32Array(FRAME);
  private n = 0;
  private pos = 0;
  private readonly step = sampleRate / MIC_RATE;

  process(inputs: Float32Array[][]): boolean {
    const ch = inputs[0]?.[0];
    if (!ch) return true;
    for (; this.pos < ch.length; this.pos += this.step) {
      this.buf[this.n++] = ch[Math.floor(this.pos)] ?? 0;
      if (this.n === FRAME) {
        this.port.postMessage(this.buf.slice(0));
        this.n = 0;
      }
    }
    this.pos -= ch.length;
    return true;
  }
}

registerProcessor("mic-tap", MicTap);
