import { defineConfig, type Options } from "tsup";

/** The build every package shares: ESM + CJS + declarations for Node 22+. */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node22",
    // `node:sqlite` exists only under its `node:` name; keep the prefix on every builtin.
    removeNodeProtocol: false,
    ...extra,
  });
}
