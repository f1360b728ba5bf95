// Formatting shared by the pages (pure functions: unit-tested in test/format.test.ts).

/** A date and time in the reader's locale, or "—" when missing or not a date. */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** An internal id shown to a person: underscores become spaces. */
export function label(value: string | null | undefined): string {
  return (value ?? "").replace(/_/g, " ");
}

/** A 0–10 score with one decimal, or "—" when there is none. */
export function fmtScore(value: unknown): string {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(1) : "—";
}

/** A 0–10 score as a bar width in percent, clamped (a bad value never overflows the chart). */
export function scorePercent(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) return 0;
  return Math.max(0, Math.min(100, value * 10));
}

const MODE_LABELS: Record<string, string> = {
  ai_interview: "Interview",
  gap_filling: "Gap-filling call",
  briefing: "Voice briefing",
};

export function modeLabel(mode: string): string {
  return MODE_LABELS[mode] ?? mode;
}

/** Comma-separated input as a list of trimmed, non-empty items. */
export function splitList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Only known badge styles become class names; anything else gets the plain badge. */
const BADGE_CLASSES = new Set(["scheduled", "in_progress", "completed", "cancelled", "error", "hire", "maybe", "no_hire"]);

export function badgeClass(value: unknown): string {
  return typeof value === "string" && BADGE_CLASSES.has(value) ? `badge ${value}` : "badge";
}
