import { defineConfig } from "vite";

// The app in app/ builds to dist/app: hashed assets the connection service serves at / (no CDN, works offline).
// `vite` (pnpm dev) serves it with /api and /auth proxied to a running `autoflow serve` (AUTOFLOW_URL, default :3000).
export default defineConfig({
  root: "app",
  base: "/",
  build: {
    outDir: "../dist/app",
    emptyOutDir: true,
    sourcemap: false,
    // The bench reads the entry chunk and its static imports from here (the first load's JavaScript).
    manifest: true,
    // Never a data: URL: the service's Content-Security-Policy is `default-src 'self'`.
    assetsInlineLimit: 0,
  },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  server: {
    proxy: {
      "/api": process.env.AUTOFLOW_URL ?? "http://127.0.0.1:3000",
      "/auth": process.env.AUTOFLOW_URL ?? "http://127.0.0.1:3000",
    },
  },
});
