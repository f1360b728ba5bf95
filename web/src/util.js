// Small helpers shared by the pages.

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export class HttpError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** fetch + JSON, with the API's error message (``{"error": code, "message": ...}``). */
export async function fetchJSON(url, options = {}) {
  const res = await fetch(url, options);
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!res.ok) {
    const message =
      (body && body.message) ||
      (body && typeof body.detail === "string" && body.detail) ||
      `${res.status} ${res.statusText}`;
    throw new HttpError(res.status, typeof message === "string" ? message : JSON.stringify(message), body);
  }
  return body;
}

export function fmtDate(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function label(value) {
  return String(value ?? "").replace(/_/g, " ");
}
