import { describe, expect, it } from "vitest";
import { SPEC_SOURCES } from "../scripts/specs-sources.mjs";
import type { EmulatorServer } from "../src/shared/emulator-server";
import type { SpecFormats } from "../src/shared/spec-ajv";
import { specCoverage } from "../src/shared/spec-coverage";
import { loadDerivedSpec, OperationValidator } from "./openapi-conformance";

/** One provider's emulator against its whole committed description. */
export interface SpecCoverageCase {
  provider: string;
  server: () => EmulatorServer;
  /** The whole description's file under `specs/<provider>/` (its `all-operations` extract). */
  description: string;
  /** The provider's own formats (its spec module's). */
  formats?: SpecFormats;
  /** Routes that are not described operations (so no subset entry can list them), each with the reason. */
  undescribedRoutes: Readonly<Record<string, string>>;
}

/** The operations a provider's conformance subset lists (`specs-sources.mjs`, extract `operations`). */
function subsetOf(provider: string): string[] {
  return (SPEC_SOURCES[provider] ?? [])
    .filter((e) => e.extract === "operations")
    .flatMap((e) => e.select ?? []);
}

/**
 * The spec fallback's answers validate against the description, and the stateful routes are exactly the
 * operations the provider's conformance subset lists: the same tests for every emulator with a description.
 */
export function describeSpecCoverage(p: SpecCoverageCase): void {
  describe(`${p.provider}: the description and the emulator`, () => {
    const server: EmulatorServer = p.server();

    it("answers every described operation with no route with a body its response schema accepts (ajv), or lists it missing", () => {
      const validator = new OperationValidator(
        loadDerivedSpec(p.provider, p.description),
        undefined,
        p.formats,
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
      expect(spec.operations.all.length).toBe(validator.operations.length);
    });

    it("has a stateful route for exactly the operations its conformance subset lists, both ways", () => {
      const coverage = specCoverage(server);
      expect(coverage.stateful).toEqual([...subsetOf(p.provider)].sort());
      // Every route is a described operation, or an undescribed one listed with its reason.
      const spec = server.spec;
      const unlisted = server.routes
        .map((route) => `${route.method} ${route.path}`)
        .filter((route) => {
          const [method = "", path = ""] = route.split(" ");
          const served = spec?.operations.all.some(
            (o) => (method === "*" || o.method === method) && spec.operations.serves(path, o),
          );
          return !served && !(route in p.undescribedRoutes);
        });
      expect(unlisted).toEqual([]);
    });
  });
}
