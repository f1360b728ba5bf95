// The REST API client: openapi-fetch typed by the FastAPI app's OpenAPI document
// (src/generated/api.ts), with the admin token and the API's error messages.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./generated/api";
import { isObject, str } from "./json";

export type Schemas = components["schemas"];
export type Interview = Schemas["InterviewOut"];
export type Candidate = Schemas["CandidateOut"];
export type Job = Schemas["JobOut"];

/** An HTTP error with the API's message (``{"error": code, "message": ...}`` or FastAPI's detail). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function errorMessage(status: number, statusText: string, body: unknown): string {
  if (isObject(body)) {
    if (typeof body.message === "string" && body.message) return body.message;
    if (typeof body.detail === "string" && body.detail) return body.detail;
    if (Array.isArray(body.detail)) {
      const first: unknown = body.detail[0];
      if (isObject(first) && typeof first.msg === "string") return first.msg;
    }
  }
  if (typeof body === "string" && body.trim() && body.length < 300) return body.trim();
  return `${status} ${statusText}`.trim();
}

export interface ApiOptions {
  /** The admin token to send, if any (read on every request). */
  token?: () => string | null;
  /** Called on a 401 before the error is thrown (e.g. to show the sign-in form). */
  onUnauthorized?: () => void;
}

export function createApi(options: ApiOptions = {}) {
  const client = createClient<paths>({ baseUrl: location.origin });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = options.token?.();
      if (token && !request.headers.has("Authorization")) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) options.onUnauthorized?.();
      return response;
    },
  };
  client.use(auth);
  return client;
}

export type Api = ReturnType<typeof createApi>;

/** The data of an openapi-fetch result, or an ApiError with the server's message. */
export async function unwrap<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok || data === undefined) {
    throw new ApiError(response.status, errorMessage(response.status, response.statusText, error), error);
  }
  return data;
}

/** What the pages need from the server (GET /api/web/config). */
export interface WebConfig {
  adminTokenRequired: boolean;
  livekit: boolean;
  /** Whether SMTP is configured, so invites can be emailed from the dashboard. */
  email: boolean;
  plans: { id: string; title: string; stages: number }[];
  sessionTypes: string[];
}

export function parseWebConfig(value: unknown): WebConfig {
  const v = isObject(value) ? value : {};
  const plans = Array.isArray(v.plans) ? v.plans.filter(isObject) : [];
  return {
    adminTokenRequired: v.adminTokenRequired !== false,
    livekit: v.livekit === true,
    email: v.email === true,
    plans: plans.map((p) => ({ id: str(p.id), title: str(p.title, str(p.id)), stages: typeof p.stages === "number" ? p.stages : 0 })),
    sessionTypes: Array.isArray(v.sessionTypes) ? v.sessionTypes.filter((s): s is string => typeof s === "string") : [],
  };
}
