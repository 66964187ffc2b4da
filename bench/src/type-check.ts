import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { providerDir } from "./load-provider-bench";
import type { ColdStartPair, ListedProviderBench, TypeCheckSample } from "./provider-bench";
import { listedProviderBenches } from "./provider-benches";
import type { BenchSection, SectionResult, TargetResult } from "./section";
import { median, ms, nowMs, ratio, table } from "./stats";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = createRequire(join(benchDir, "package.json")).resolve("typescript/bin/tsc");
const MAX_RATIO = 2;

// The consumer's own project: ESM on Node's resolution (the packages' `exports`), with Node's types as a Node
// app has.
const TSCONFIG = {
  compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", types: ["node"] },
};

/**
 * One `tsc --noEmit --strict` of `file` in `dir`, in milliseconds; throws with tsc's output when it fails.
 */
function typeCheck(dir: string, file: string): number {
  const started = nowMs();
  try {
    execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "-p", join(dir, `tsconfig.${file}.json`)], {
      cwd: dir,
      encoding: "utf8",
      stdio: "pipe",
    });
  } catch (error) {
    const out = (error as { stdout?: string }).stdout ?? String(error);
    throw new Error(`tsc failed on ${file}.mts:\n${out}`);
  }
  return nowMs() - started;
}

interface Measured {
  pair: ColdStartPair;
  sample: TypeCheckSample;
  ours: number[];
  bare: number[];
}

/**
 * Fresh `tsc` processes taking turns on one provider's two consumer files. They are written inside the
 * provider's package, without a package.json of their own, so they resolve the provider's package by its own
 * name and its SDK as its dependency, as an application depending on them would (`.mts`: ES modules whatever
 * the package's type).
 */
function measure({ id, bench }: ListedProviderBench, sample: TypeCheckSample, rounds: number): Measured {
  const dir = mkdtempSync(join(providerDir(id), ".type-check-"));
  try {
    const samples: Record<"ours" | "bare", number[]> = { ours: [], bare: [] };
    for (const [name, source] of [
      ["ours", sample.ours],
      ["bare", sample.bare],
    ] as const) {
      writeFileSync(join(dir, `${name}.mts`), source);
      writeFileSync(
        join(dir, `tsconfig.${name}.json`),
        JSON.stringify({ ...TSCONFIG, files: [`${name}.mts`] }),
      );
    }
    typeCheck(dir, "bare"); // warm the file system cache for both alike
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (["ours", "bare"] as const) : (["bare", "ours"] as const);
      for (const name of order) samples[name].push(typeCheck(dir, name));
    }
    return { pair: bench.coldStart, sample, ...samples };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Item 3b: how long `tsc --noEmit --strict` takes on a README-style consumer file of each listed provider
 * package whose bench has a sample (`typeCheck`), against the same call with the bare SDK: the median of
 * fresh `tsc` processes taking turns.
 */
export const typeCheckTime: BenchSection = {
  id: "type-check",
  title: "3b. Type-check time of a consumer's file",
  run: async (context) => {
    // CI's quick run only proves the section still works: one process per file (the full run takes the median of 3).
    const rounds = context.quick ? 1 : 3;
    const measured: Measured[] = [];
    for (const listed of await listedProviderBenches()) {
      if (listed.bench.typeCheck) measured.push(measure(listed, listed.bench.typeCheck, rounds));
    }
    context.log(`${rounds} fresh tsc processes per file, alternating`);
    const rows = measured.flatMap((m) => [
      { file: `${m.pair.package} consumer`, medianMs: median(m.ours), samplesMs: m.ours },
      { file: `${m.pair.sdk} consumer`, medianMs: median(m.bare), samplesMs: m.bare },
    ]);
    const targets = measured.map((m): TargetResult => {
      const ours = median(m.ours);
      const bare = median(m.bare);
      const value = ours / bare;
      const met = value < MAX_RATIO;
      return {
        name: `${m.pair.package} vs ${m.pair.sdk}: consumer type-check time`,
        measured: ratio(value),
        target: `< ${MAX_RATIO.toFixed(2)}x`,
        met,
        ...(!met && {
          why: `${ms(ours - bare, 0)} more: the consumer file also checks @autoflow/core's declarations (its job, runner and task types) on top of the SDK's`,
        }),
      };
    });
    const markdown = [
      `Median of ${rounds} fresh \`tsc --noEmit --strict\` processes per file (TypeScript ${tscVersion()}, alternating; \`module: nodenext\`, no \`skipLibCheck\`), each checking one file that ${measured.map((m) => m.sample.description).join("; ")}.`,
      "",
      table(
        ["file", "type-check"],
        rows.map((r) => [r.file, ms(r.medianMs, 0)]),
      ),
    ].join("\n");
    return { rows, markdown, targets } satisfies SectionResult;
  },
};

function tscVersion(): string {
  return execFileSync(process.execPath, [tsc, "--version"], { encoding: "utf8" })
    .trim()
    .replace(/^Version /, "");
}
