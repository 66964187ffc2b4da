import { defineConfig } from "vite";

// The app in app/ builds to dist/app: hashed assets the connection service serves at / (no CDN, works offline).
export default defineConfig({
  root: "app",
  base: "/",
  build: { outDir: "../dist/app", emptyOutDir: true, sourcemap: false },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
});
