// A voice briefing's result as the recruiter reads it: the briefing's sections and the
// questions asked with the answers given, as tables (never the raw JSON).
import "./calls.css";
import { arr, isObject, str } from "../json";
import { html, nothing, type TemplateResult } from "../view";

export interface BriefingResult {
  candidate: string;
  who: string;
  result: string;
  sections: { title: string; items: string[] }[];
  questions: { question: string; answer: string }[];
}

const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === "string" && x.trim() !== "");

/** The briefing result, or null when the document is not one (e.g. a gap-filling call's). */
export function parseBriefingResult(value: unknown): BriefingResult | null {
  if (!isObject(value) || !(value.mode === "briefing" || isObject(value.briefing))) return null;
  const b = isObject(value.briefing) ? value.briefing : {};
  return {
    candidate: str(b.candidate),
    who: str(b.who),
    result: str(b.result),
    sections: [
      { title: "Strengths", items: strings(b.strengths) },
      { title: "Concerns", items: strings(b.concerns) },
      { title: "Open questions", items: strings(b.open_questions) },
      { title: "Suggested opening questions", items: strings(b.opening_questions) },
    ],
    questions: arr(value.questions)
      .filter(isObject)
      .map((q) => ({ question: str(q.question), answer: str(q.answer, "(no answer)") }))
      .filter((q) => q.question),
  };
}

/** Questions and answers as a table (also used live on the briefing page). */
export function questionsTable(rows: { question: string; answer: string }[], caption = "Your questions and the answers"): TemplateResult {
  if (!rows.length) return html`<p class="muted">No questions were asked.</p>`;
  return html`<table class="qa" id="briefing-qa">
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">Question</th>
        <th scope="col">Answer</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            <td>${r.question}</td>
            <td>${r.answer}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function briefingResultView(r: BriefingResult): TemplateResult {
  return html`<h2>Briefing</h2>
    ${r.who ? html`<p>${r.who}</p>` : nothing} ${r.result ? html`<p id="briefing-result">${r.result}.</p>` : nothing}
    <table class="qa" id="briefing-sections">
      <caption>
        The briefing
      </caption>
      <tbody>
        ${r.sections.map(
          (s) =>
            html`<tr>
              <th scope="row">${s.title}</th>
              <td>
                ${
                  s.items.length
                    ? html`<ul class="flush-list">
                        ${s.items.map((i) => html`<li>${i}</li>`)}
                      </ul>`
                    : html`<span class="muted">none</span>`
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h3>Questions</h3>
    ${questionsTable(r.questions, "Questions asked in the briefing")}`;
}
