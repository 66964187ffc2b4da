import { describe, expect, it } from "vitest";
import { GmailEmulator } from "../src/index";
import { specCoverage } from "../src/shared/spec-coverage";
import { FALLBACK_HEADER } from "../src/shared/spec-fallback";
import { loadDerivedSpec, OperationValidator } from "./openapi-conformance";

// Gmail's description is a Discovery Document, converted by its own script (scripts/gmail-spec-subset.mjs) rather
// than specs-update's subsets, so this file checks the spec fallback the way stripe-spec-coverage does.
describe("gmail: the description and the emulator", () => {
  const emulator = new GmailEmulator();
  const { server } = emulator;

  it("answers every described operation with no route with a body its response schema accepts (ajv)", () => {
    const validator = new OperationValidator(loadDerivedSpec("gmail", "api-all.json"));
    const spec = server.spec;
    if (!spec) throw new Error("no description");
    const violations: string[] = [];
    for (const operation of spec.operations.all) {
      const answer = spec.answerFor(operation);
      if (answer.kind === "missing") continue;
      violations.push(...validator.validateResponse(operation.key, answer.status, answer.body));
    }
    expect(violations).toEqual([]);
    expect(specCoverage(server).missing).toEqual([]);
  });

  it("serves every Gmail route with state as a described operation, and answers the others from the description", async () => {
    const coverage = specCoverage(server);
    const gmailRoutes = server.routes.filter(({ path }) => path.startsWith("/gmail/"));
    expect(coverage.stateful.length).toBe(gmailRoutes.length);
    await emulator.start();
    try {
      const response = await fetch(`${emulator.apiUrl}/gmail/v1/users/me/settings/filters`, {
        headers: { authorization: `Bearer ${emulator.mintToken()}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get(FALLBACK_HEADER)).toBe("spec");
      const refused = await fetch(`${emulator.apiUrl}/gmail/v1/users/me/settings/filters`);
      expect(refused.status).toBe(401);
    } finally {
      await emulator.stop();
    }
  });
});
