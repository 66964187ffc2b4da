import { defineConfig } from "vite";

const service = process.env.AUTOFLOW_URL ?? "http://127.0.0.1:3000";

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
  // The builder's form library (react-jsonschema-form) is written for React: preact/compat stands in for it.
  resolve: {
    alias: [
      { find: /^react\/jsx-(dev-)?runtime$/, replacement: "preact/jsx-runtime" },
      { find: /^react(-dom)?(\/client)?$/, replacement: "preact/compat" },
    ],
  },
  // The Host header is kept (changeOrigin: false): the service then sees the dev server's origin, which is the
  // Origin the browser sends with its POSTs, so its same-origin check passes.
  server: {
    proxy: {
      "/api": { target: service, changeOrigin: false },
      "/auth": { target: service, changeOrigin: false },
    },
  },
});
