// The record of an interview on its report page: the transcript with times from the
// start (mm:ss), the recording playable beside it, and each evidence quote a link that
// seeks the recording to the moment of the line that contains it and highlights that
// line (without a recording: scrolls to it and highlights it).
import "./record.css";
import { ApiError, unwrap, type Api } from "../api";
import { html, nothing, type TemplateResult } from "../view";
import { clock, type StageView } from "./transcripts";
import type { QuoteView } from "./views";

function normal(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export interface Line {
  index: number;
  at: number | null;
}

/** The transcript line (numbered as transcriptView numbers them) that contains the
 * quote: the candidate's lines first, then anyone's; null when none does. */
export function lineOf(stages: StageView[], quote: string): Line | null {
  const q = normal(quote);
  if (!q) return null;
  const lines = stages.flatMap((s) => s.lines).map((u, index) => ({ u, index }));
  const hit = lines.find(({ u }) => !u.ai && normal(u.message).includes(q)) ?? lines.find(({ u }) => normal(u.message).includes(q));
  return hit ? { index: hit.index, at: hit.u.at ?? null } : null;
}

/** Seeks the recording (when there is one) and highlights the line. */
export function showMoment(line: Line): void {
  const audio = document.getElementById("recording");
  if (audio instanceof HTMLAudioElement && line.at !== null) {
    audio.currentTime = line.at / 1000;
    void audio.play().catch(() => undefined);
  }
  for (const el of document.querySelectorAll(".turn.moment")) el.classList.remove("moment");
  const el = document.querySelector<HTMLElement>(`.turn[data-line="${line.index}"]`);
  if (el) {
    el.classList.add("moment");
    el.scrollIntoView({ block: "center" });
    el.focus({ preventScroll: true });
  }
}

export function quoteLinks(stages: StageView[]): QuoteView {
  return (quote) => {
    const line = lineOf(stages, quote);
    if (!line) return html`<blockquote>“${quote}”</blockquote>`;
    const when = line.at !== null ? ` at ${clock(line.at)}` : "";
    return html`<blockquote>
      <button type="button" class="quote-link" data-line=${line.index} @click=${() => showMoment(line)}>
        “${quote}”<span class="sr-only"> — go to this moment${when}</span>
      </button>
      ${line.at !== null ? html`<span class="muted small" aria-hidden="true">${clock(line.at)}</span>` : nothing}
    </blockquote>`;
  };
}

/** The recording as a source the player can use: a presigned URL as it is, this API's
 * file fetched with the admin token (an <audio> element cannot send it) as a blob URL.
 * Null when the interview has no recording. */
export async function recordingSource(api: Api, id: string, token: string | null): Promise<string | null> {
  let link;
  try {
    link = await unwrap(api.GET("/api/interviews/{interview_id}/recording/url", { params: { path: { interview_id: id } } }));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
  if (link.stored_in === "bucket") return link.url;
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`/api/interviews/${encodeURIComponent(id)}/recording`, { headers });
  if (!res.ok) return null;
  return URL.createObjectURL(await res.blob());
}

export function recordingPanel(src: string | null): TemplateResult {
  return html`<section class="panel recording-panel no-print" aria-labelledby="recording-heading">
    <h2 id="recording-heading" class="flush">Recording</h2>
    ${
      src
        ? html`<audio id="recording" controls preload="auto" src=${src} aria-label="Interview recording"></audio>
            <p class="muted small flush">Click a quote in the evidence to hear its moment.</p>`
        : html`<p class="muted small flush" id="no-recording">
            This interview was not recorded. Quotes in the evidence jump to their line.
          </p>`
    }
  </section>`;
}
