import { defineConfig } from "vitest/config";
import { sharedProject } from "../../vitest.shared.ts";

const shared = sharedProject("github");

// Type tests (`*.test-d.ts`) are checked by `tsc` under `vitest --typecheck`; nothing in them runs.
export default defineConfig({
  ...shared,
  test: { ...shared.test, typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] } },
});
