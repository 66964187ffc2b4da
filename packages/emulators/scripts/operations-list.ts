// Writes OPERATIONS.md: per provider, which operations of its committed description the emulator serves with state,
// which the spec fallback answers, and which neither (with why). Run by `specs:update` after it derives the specs;
// `test/operations-list.test.ts` fails when the committed file is out of date.
//
// Usage: tsx scripts/operations-list.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EMULATORS } from "../src/emulator-list";
import type { EmulatorServer } from "../src/shared/emulator-server";
import { specCoverage } from "../src/shared/spec-coverage";
import { type SdkOperations, sdkOperations } from "./sdk-operations";

const SCRIPT = "packages/emulators/scripts/operations-list.ts";

/** The OPERATIONS.md text, from every listed emulator (`emulator-list.ts`) that has a description. */
export async function operationsList(): Promise<string> {
  const sdks = await sdkOperations();
  const lines = [
    "# Operations the emulators answer",
    "",
    `<!-- GENERATED, DO NOT EDIT: run \`pnpm --filter @autoflow/emulators specs:update\` (${SCRIPT}) -->`,
    "",
    "Per provider, every operation of its committed description (`specs/<provider>/`): **stateful** (a route with",
    "state that behaves), **spec-answered** (no route: the spec fallback validates the request and answers a",
    "schema-valid body generated from the description, with `x-emulator-fallback: spec`) or **missing** (no answer",
    "the description allows; the fallback answers 501). Then the methods of the provider's official SDK that the",
    "description does not cover: an emulator route answers them, or they answer as the provider answers a method",
    "it does not have (an unknown-method error, a 404).",
    "",
  ];
  const rows: string[][] = [["provider", "stateful", "spec-answered", "missing"]];
  const sections: string[] = [];
  for (const { id: provider, cli } of [...EMULATORS].sort((a, b) => a.id.localeCompare(b.id))) {
    const server = (cli.create({}).emulator as { server?: EmulatorServer }).server;
    if (!server?.spec) continue;
    const coverage = specCoverage(server);
    rows.push([
      provider,
      ...[coverage.stateful, coverage.specAnswered, coverage.missing].map((l) => String(l.length)),
    ]);
    sections.push(
      "",
      `## ${provider}`,
      "",
      `### Stateful (${coverage.stateful.length})`,
      "",
      ...coverage.stateful.map((o) => `- \`${o}\``),
      "",
      `### Missing (${coverage.missing.length})`,
      "",
      ...(coverage.missing.length > 0
        ? coverage.missing.map((m) => `- \`${m.operation}\`: ${m.reason}`)
        : ["None."]),
      "",
      `### Spec-answered (${coverage.specAnswered.length})`,
      "",
      ...coverage.specAnswered.map((o) => `- \`${o}\``),
      ...notDescribed(sdks[provider], server, [
        ...coverage.stateful,
        ...coverage.specAnswered,
        ...coverage.missing.map((m) => m.operation),
      ]),
    );
  }
  return `${[...lines, ...table(rows), ...sections].join("\n")}\n`;
}

/** The provider's SDK methods whose operation is not in its description, and whether a route serves them. */
function notDescribed(sdk: SdkOperations | undefined, server: EmulatorServer, described: string[]): string[] {
  if (!sdk) return [];
  const key = (operation: string) => (sdk.byPathOnly ? operation.slice(operation.indexOf("/")) : operation);
  const known = new Set(described.map(key));
  const undescribed = sdk.methods
    .filter((method) => !known.has(key(method.operation)))
    .sort((a, b) => a.method.localeCompare(b.method));
  const routed = (operation: string) =>
    server.routes.some(
      (route) => route.path === `/api${operation}` || route.path === operation.split(" ")[1],
    );
  return [
    "",
    `### ${sdk.sdk} methods not in the description (${undescribed.length})`,
    "",
    ...(undescribed.length > 0
      ? undescribed.map(
          (m) =>
            `- \`${m.method}\` (\`${m.operation}\`): ${routed(m.operation) ? "served by a route" : "not answered"}`,
        )
      : ["None."]),
  ];
}

/** A Markdown table with its columns padded, as the repository's formatter lays tables out. */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(3, ...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const [head = [], ...body] = rows;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = fileURLToPath(new URL("../OPERATIONS.md", import.meta.url));
  writeFileSync(path, await operationsList());
  console.log(`OPERATIONS.md: written`);
}
