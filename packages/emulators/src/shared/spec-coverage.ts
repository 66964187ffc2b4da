import type { EmulatorServer } from "./emulator-server";

/** How an emulator answers each operation of its provider's description. */
export interface SpecCoverage {
  /** Served by a route with state (`METHOD /path`, sorted). */
  stateful: string[];
  /** No route: answered by the spec fallback with a generated, schema-valid answer. */
  specAnswered: string[];
  /** No route, and no answer the description allows (why, per operation): the fallback answers 501. */
  missing: Array<{ operation: string; reason: string }>;
}

/** Which described operations `server`'s routes serve, which the spec fallback answers, and which neither. */
export function specCoverage(server: EmulatorServer): SpecCoverage {
  const spec = server.spec;
  if (!spec) throw new Error(`${server.name} emulator has no description`);
  const coverage: SpecCoverage = { stateful: [], specAnswered: [], missing: [] };
  for (const operation of spec.operations.all) {
    const routed = server.routes.some(
      (route) =>
        (route.method === "*" || route.method === operation.method) &&
        spec.operations.serves(route.path, operation),
    );
    const answer = spec.answerFor(operation);
    if (routed) coverage.stateful.push(operation.key);
    else if (answer.kind === "answer") coverage.specAnswered.push(operation.key);
    else coverage.missing.push({ operation: operation.key, reason: answer.reason });
  }
  coverage.stateful.sort();
  coverage.specAnswered.sort();
  coverage.missing.sort((a, b) => a.operation.localeCompare(b.operation));
  return coverage;
}
