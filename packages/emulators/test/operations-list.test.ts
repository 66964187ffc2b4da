import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { operationsList } from "../scripts/operations-list";

it("OPERATIONS.md is what the emulators serve now (else run `pnpm --filter @autoflow/emulators specs:update`)", async () => {
  const committed = readFileSync(new URL("../OPERATIONS.md", import.meta.url), "utf8");
  expect(committed).toBe(await operationsList());
});
