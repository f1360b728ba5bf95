// Builds the candidate page (join.html) and the recruiter dashboard (app.html) into the
// Python package, where `voicehire serve` serves them from its own origin (/static).
import { resolve } from "node:path";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/static/",
  build: {
    outDir: resolve(import.meta.dirname, "../src/voicehire/web/static"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, "app.html"),
        join: resolve(import.meta.dirname, "join.html"),
      },
    },
  },
});
