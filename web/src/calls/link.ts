// A link to hand to someone (a call's link): the address, and a button that copies it.
import "./calls.css";
import { html, type TemplateResult } from "../view";

/** Copy `text`; when the browser refuses, select it in `input` so Ctrl+C copies it. */
export async function copyText(text: string, input: HTMLInputElement | null, say: (message: string) => void): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    say("Link copied");
  } catch {
    input?.select();
    say("Copying was refused by the browser: the link is selected, press Ctrl+C to copy it");
  }
}

export function linkBox(link: string, label: string, id: string, say: (message: string) => void): TemplateResult {
  return html`<div class="linkbox">
    <input type="text" readonly id=${id} .value=${link} aria-label=${label} />
    <button
      class="btn secondary"
      type="button"
      id=${`${id}-copy`}
      @click=${(ev: Event) => copyText(link, (ev.currentTarget as HTMLElement).parentElement?.querySelector("input") ?? null, say)}
    >
      Copy link
    </button>
  </div>`;
}
