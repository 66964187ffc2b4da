import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", sqlite: "src/sqlite.ts", testing: "src/testing/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node22",
  external: ["vitest"],
  // `node:sqlite` exists only under its `node:` name; keep the prefix on every builtin.
  removeNodeProtocol: false,
});
