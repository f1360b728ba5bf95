// The pages' one way to put data on screen: lit-html templates. Every value interpolated
// into a template is text or an attribute value set through the DOM (never parsed as
// HTML), so a name, a summary or a transcript line cannot become markup or script.
// Lint forbids the escape hatches (innerHTML, insertAdjacentHTML, document.write,
// lit-html's unsafe-* directives) everywhere in src/.
import { noChange, render, type TemplateResult } from "lit-html";
import { Directive, directive, PartType, type ElementPart, type PartInfo } from "lit-html/directive.js";

export { html, nothing, svg, type TemplateResult } from "lit-html";
export { classMap } from "lit-html/directives/class-map.js";

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

/** Sets inline style properties through the CSSOM on every render: `<span ${css({ width: "40%" })}>`.
 * (lit-html's styleMap writes a style attribute on first render, which a CSP without
 * 'unsafe-inline' refuses; CSSOM changes are allowed.) */
class CssDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error("css() belongs in an element, e.g. <span ${css({...})}>");
  }

  render(_properties: Readonly<Record<string, string>>): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [properties]: [Readonly<Record<string, string>>]): typeof noChange {
    const style = (part.element as HTMLElement).style;
    for (const [name, value] of Object.entries(properties)) style.setProperty(name, value);
    return noChange;
  }
}

export const css = directive(CssDirective);
