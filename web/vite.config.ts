// Builds the candidate page (join.html) and the recruiter dashboard (app.html) into the
// Python package, where `voicehire serve` serves them from its own origin (/static).
// The output has no inline scripts or styles, so the pages run under a strict CSP.
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  base: "/static/",
  build: {
    outDir: resolve(import.meta.dirname, "../src/voicehire/web/static"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    // Vite would inline small assets (the microphone worklet) as data: URLs, which a
    // CSP without data: refuses; keep every asset a file on our origin.
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: {
        app: resolve(import.meta.dirname, "app.html"),
        join: resolve(import.meta.dirname, "join.html"),
      },
    },
  },
  test: {
    environment: "happy-dom",
    include: ["test/**/*.test.ts"],
  },
});
