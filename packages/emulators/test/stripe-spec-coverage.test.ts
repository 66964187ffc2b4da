import { describe, expect, it } from "vitest";
import { STRIPE_OPERATIONS, StripeEmulator } from "../src/index";
import { specCoverage } from "../src/shared/spec-coverage";
import { STRIPE_FORMATS } from "../src/stripe/stripe-spec";
import { loadDerivedSpec, OperationValidator } from "./openapi-conformance";

// Stripe's description is YAML, cut by its own script (scripts/stripe-spec-subset.mjs) rather than specs-update's
// subsets, so the shared spec-coverage suite's subset check reads STRIPE_OPERATIONS here instead.
describe("stripe: the description and the emulator", () => {
  const server = new StripeEmulator().server;

  it("answers every described operation with no route with a body its response schema accepts (ajv)", () => {
    const validator = new OperationValidator(
      loadDerivedSpec("stripe", "api-all.json"),
      undefined,
      STRIPE_FORMATS,
    );
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

  it("has a stateful route for exactly the operations STRIPE_OPERATIONS lists, and routes the OAuth flow besides", () => {
    const coverage = specCoverage(server);
    expect(coverage.stateful).toEqual([...STRIPE_OPERATIONS].sort());
    const undescribed = server.routes
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => route.startsWith("POST /oauth") || route.startsWith("GET /oauth"));
    // Connect OAuth is connect.stripe.com's, not the REST description's.
    expect(undescribed).toEqual(["GET /oauth/authorize", "POST /oauth/token", "POST /oauth/deauthorize"]);
    expect(server.routes).toHaveLength(STRIPE_OPERATIONS.length + undescribed.length);
  });
});
