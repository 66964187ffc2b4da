import { fileURLToPath } from "node:url";
import type { ViteUserConfig } from "vitest/config";

const packagesDir = fileURLToPath(new URL("./packages/", import.meta.url));

/** Tests run against the workspace sources, so a change in core is seen without a rebuild. */
export const workspaceAliases = [
  { find: /^@autoflow\/core\/testing$/, replacement: `${packagesDir}core/src/testing/index.ts` },
  { find: /^@autoflow\/core\/sqlite$/, replacement: `${packagesDir}core/src/sqlite.ts` },
  { find: /^@autoflow\/actions\/testing$/, replacement: `${packagesDir}actions/src/testing/index.ts` },
  // A provider package's manifest (`@autoflow/<provider>/provider`), which the provider list imports.
  { find: /^@autoflow\/([a-z-]+)\/provider$/, replacement: `${packagesDir}$1/src/provider.ts` },
  { find: /^@autoflow\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/index.ts` },
];

/**
 * The one vitest project shape every package uses. `timeoutMs` (default 20 s) is a margin, never a measure: a
 * package whose tests compile whole API descriptions gives itself more on a loaded 2-core machine.
 */
export function sharedProject(name: string, options: { timeoutMs?: number } = {}): ViteUserConfig {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return {
    resolve: { alias: workspaceAliases },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      // Type tests (`*.test-d.ts`, happy and sad paths with `@ts-expect-error`) are checked by tsc, not run.
      typecheck: {
        enabled: true,
        include: ["src/**/*.test-d.ts", "test/**/*.test-d.ts"],
        tsconfig: "./tsconfig.json",
      },
      // CI sums every package's JSON report into one "N passed, N failed" line (.ci/run).
      reporters: process.env.CI ? ["default", ["json", { outputFile: "test-results.json" }]] : ["default"],
      testTimeout: timeoutMs,
      hookTimeout: timeoutMs,
    },
  };
}
