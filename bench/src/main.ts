/**
 * @module
 * `pnpm bench [--quick] [--only=<id>,...]`: runs every section in `sections.ts` and writes bench/results.md
 * and bench/results.json. `--quick` is the small version CI runs so the benchmarks never rot.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { machineInfo } from "./machine";
import { providersWithoutBench } from "./provider-benches";
import { renderJson, renderMarkdown, type SectionOutcome } from "./report";
import { SECTIONS } from "./sections";
import { nowMs } from "./stats";

const quick = process.argv.includes("--quick");
const only = process.argv
  .find((arg) => arg.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const benchDir = fileURLToPath(new URL("..", import.meta.url));
const log = (message: string) => console.log(`[bench] ${message}`);

const machine = machineInfo();
for (const id of await providersWithoutBench())
  log(`${id} is listed but has no packages/${id}/bench/index.ts: no rows for it`);
const outcomes: SectionOutcome[] = [];
for (const section of SECTIONS) {
  if (only && !only.includes(section.id)) continue;
  const tmpDir = mkdtempSync(join(tmpdir(), `autoflow-bench-${section.id}-`));
  log(`${section.title}${quick ? " (quick)" : ""}`);
  const started = nowMs();
  try {
    const result = await section.run({ quick, tmpDir, log: (m) => log(`  ${m}`) });
    outcomes.push({ section, result, durationMs: nowMs() - started });
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`  failed: ${message}`);
    outcomes.push({ section, error: message.split("\n")[0] ?? message, durationMs: nowMs() - started });
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

writeFileSync(join(benchDir, "results.md"), renderMarkdown(machine, quick, outcomes));
writeFileSync(join(benchDir, "results.json"), renderJson(machine, quick, outcomes));
const failed = outcomes.filter((o) => o.error);
log(`wrote bench/results.md and bench/results.json (${outcomes.length} sections, ${failed.length} failed)`);
// A section that cannot run is a broken benchmark: CI must notice. A missed target is a finding, not a failure.
process.exitCode = failed.length > 0 ? 1 : 0;
