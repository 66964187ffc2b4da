import { defineConfig, type Options } from "tsup";

/** The build every package shares: ESM + CJS + declarations for Node 22+. */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ["esm", "cjs"],
    // type-fest is types only: its few types are copied into our declarations, so a consumer installs none of it.
    // The relative pattern lets the copy follow type-fest's own `./source/...` imports.
    dts: { resolve: ["type-fest", /^\.\.?\//] },
    // No source maps in the packages: the output is unminified, readable JavaScript, and the maps (with the
    // sources inside) were most of every package's size on disk.
    sourcemap: false,
    clean: true,
    // Splitting in CJS too: a package's entries (`@autoflow/core/testing`, a provider's `./provider`, ...) then
    // share its modules instead of each bundling its own copy (one class, one `instanceof`, one module state, in
    // ESM and CJS alike).
    splitting: true,
    target: "node22",
    // `node:sqlite` exists only under its `node:` name; keep the prefix on every builtin.
    removeNodeProtocol: false,
    ...extra,
  });
}
