// The pages' one way to put data on screen: lit-html templates. Every value interpolated
// into a template is text or an attribute value set through the DOM (never parsed as
// HTML), so a name, a summary or a transcript line cannot become markup or script.
// Lint forbids the escape hatches (innerHTML, insertAdjacentHTML, document.write,
// lit-html's unsafe-* directives) everywhere in src/.
import { render, type TemplateResult } from "lit-html";

export { html, nothing, svg, type TemplateResult } from "lit-html";
export { classMap } from "lit-html/directives/class-map.js";
export { styleMap } from "lit-html/directives/style-map.js";

const mounted = new WeakSet<Element>();

/** Show `view` in `container`, replacing what the page's static HTML put there first. */
export function mount(container: HTMLElement, view: TemplateResult): void {
  if (!mounted.has(container)) {
    container.replaceChildren();
    mounted.add(container);
  }
  render(view, container);
}

/** The element with this id (of this type), or an error naming it (a page bug, not a user's). */
export function byId(id: string): HTMLElement;
export function byId<T extends HTMLElement>(id: string, type: new () => T): T;
export function byId(id: string, type: new () => HTMLElement = HTMLElement): HTMLElement {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`the page has no #${id} (${type.name})`);
  return el;
}
