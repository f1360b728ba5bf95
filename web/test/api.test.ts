import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, createApi, errorMessage, parseWebConfig, unwrap } from "../src/api";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A server stand-in: answers every request with `status` and `body`, and records requests. */
function serve(status: number, body: unknown) {
  const requests: Request[] = [];
  vi.stubGlobal("fetch", (input: Request) => {
    requests.push(input);
    return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }));
  });
  return requests;
}

describe("the API client", () => {
  it("sends the admin token and returns the typed body", async () => {
    const requests = serve(200, { items: [], total: 0, limit: 1, offset: 0 });
    const api = createApi({ token: () => "secret-token" });
    const data = await unwrap(api.GET("/api/interviews", { params: { query: { limit: 1, status: "completed" } } }));
    expect(data.total).toBe(0);
    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer secret-token");
    expect(requests[0]?.url).toMatch(/\/api\/interviews\?limit=1&status=completed$/);
  });

  it("throws the API's own message, and tells the page about a 401", async () => {
    serve(401, { error: "unauthorized", message: "admin token required" });
    let told = 0;
    const api = createApi({ token: () => "old", onUnauthorized: () => told++ });
    const err: unknown = await unwrap(api.GET("/api/web/config")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).message).toBe("admin token required");
    expect(told).toBe(1);
  });

  it("reads FastAPI's validation errors and plain text errors", () => {
    expect(errorMessage(422, "Unprocessable", { detail: [{ msg: "field required", loc: ["body", "name"] }] })).toBe("field required");
    expect(errorMessage(404, "Not Found", { detail: "no such interview" })).toBe("no such interview");
    expect(errorMessage(502, "Bad Gateway", "upstream down")).toBe("upstream down");
    expect(errorMessage(500, "Internal Server Error", null)).toBe("500 Internal Server Error");
  });

  it("reads the page configuration, requiring a token unless told otherwise", () => {
    expect(parseWebConfig({}).adminTokenRequired).toBe(true);
    const config = parseWebConfig({
      adminTokenRequired: false,
      plans: [{ id: "mock", title: "Mock", stages: 4 }, "junk"],
      sessionTypes: ["ai_interview", 3],
    });
    expect(config).toEqual({
      adminTokenRequired: false,
      livekit: false,
      email: false,
      plans: [{ id: "mock", title: "Mock", stages: 4 }],
      sessionTypes: ["ai_interview"],
    });
  });
});
