import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { installedSize } from "./installed-size";
import { providerDir } from "./load-provider-bench";
import { listedProviderBenches } from "./provider-benches";
import type { BenchSection, SectionResult, TargetResult } from "./section";
import { median, ms, ratio, table } from "./stats";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
// zod is no dependency of the bench; the server's own copy is the one measured.
const serverDir = fileURLToPath(new URL("../../packages/server", import.meta.url));

interface Subject {
  name: string;
  /** Resolved from here, as an application depending on it would. */
  cwd: string;
}

type SubjectId = string;
type Pair = { ours: SubjectId; base: SubjectId; max: number; goal: string };

/**
 * Every measured package by its name (`empty` is a bare `node`): each listed provider's package and its SDK,
 * both resolved from the provider's package (its own name, its dependency), then core and zod; and the pairs
 * compared against a target, ours over the baseline.
 */
async function coldStartSubjects(): Promise<{ subjects: Record<SubjectId, Subject>; pairs: Pair[] }> {
  const pairs = (await listedProviderBenches()).map(({ id, bench }) => ({
    ...bench.coldStart,
    cwd: providerDir(id),
  }));
  return {
    subjects: {
      empty: { name: "", cwd: benchDir },
      ...Object.fromEntries(
        pairs.flatMap((pair) => [
          [pair.package, { name: pair.package, cwd: pair.cwd }],
          [pair.sdk, { name: pair.sdk, cwd: pair.cwd }],
        ]),
      ),
      core: { name: "@autoflow/core", cwd: benchDir },
      zod: { name: "zod", cwd: serverDir },
    },
    pairs: [
      ...pairs.map((pair) => ({ ours: pair.package, base: pair.sdk, max: 1.1, goal: "<= 1.10x" })),
      // "Well under" zod: at most half.
      { ours: "core", base: "zod", max: 0.5, goal: "<= 0.50x (well under)" },
    ],
  };
}

// The ESM entry, as `import` in an application loads it; RSS read after a GC so garbage is not counted.
const PROBE = `
const started = performance.now();
const name = process.env.BENCH_IMPORT;
if (name) await import(name);
const importMs = performance.now() - started;
globalThis.gc?.();
console.log(JSON.stringify({ importMs, rss: process.memoryUsage().rss }));
`;

function probe(subject: Subject): { importMs: number; rss: number } {
  const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", PROBE], {
    cwd: subject.cwd,
    env: { ...process.env, BENCH_IMPORT: subject.name, NODE_OPTIONS: "" },
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").pop() ?? "{}") as { importMs: number; rss: number };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * Item 3: import time and resident memory of each package against its bare SDK (and core against zod),
 * the median of fresh `node` processes taking turns, plus installed size of each dependency closure.
 */
export const coldStart: BenchSection = {
  id: "cold-start",
  title: "3. Cold start",
  run: async (context) => {
    const { subjects, pairs } = await coldStartSubjects();
    const subject = (id: SubjectId): Subject => {
      const found = subjects[id];
      if (!found) throw new Error(`no cold-start subject ${id}`);
      return found;
    };
    const rounds = context.quick ? 3 : 15;
    const ids = Object.keys(subjects);
    const samples = Object.fromEntries(
      ids.map((id) => [id, { importMs: [] as number[], rss: [] as number[] }]),
    );
    probe(subject(pairs[0]?.ours ?? "core")); // warm the file system cache for every subject alike
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < ids.length; k++) {
        const id = ids[(round + k) % ids.length] as SubjectId;
        const result = probe(subject(id));
        samples[id]?.importMs.push(result.importMs);
        samples[id]?.rss.push(result.rss);
      }
    }
    context.log(`${rounds} fresh processes per package, taking turns`);
    const importMs = (id: SubjectId) => median(samples[id]?.importMs ?? []);
    const rss = (id: SubjectId) => median(samples[id]?.rss ?? []);
    const rssAdded = (id: SubjectId) => rss(id) - rss("empty");
    const size = Object.fromEntries(
      ids.filter((id) => id !== "empty").map((id) => [id, installedSize(subject(id).name, subject(id).cwd)]),
    ) as Record<SubjectId, { bytes: number; packages: number }>;
    const sizeOf = (id: SubjectId) => size[id] ?? { bytes: Number.NaN, packages: 0 };

    const rows = ids
      .filter((id) => id !== "empty")
      .map((id) => ({
        package: subject(id).name,
        importMs: importMs(id),
        rssBytes: rss(id),
        rssAddedBytes: rssAdded(id),
        installedBytes: sizeOf(id).bytes,
        installedPackages: sizeOf(id).packages,
      }));
    const targets: TargetResult[] = [];
    for (const pair of pairs) {
      const ours = subject(pair.ours).name;
      const base = subject(pair.base).name;
      const oursSize = sizeOf(pair.ours);
      const baseSize = sizeOf(pair.base);
      const checks = [
        {
          what: "import time",
          value: importMs(pair.ours) / importMs(pair.base),
          extra: ms(importMs(pair.ours) - importMs(pair.base)),
        },
        {
          what: "resident memory added",
          value: rssAdded(pair.ours) / rssAdded(pair.base),
          extra: mib(rssAdded(pair.ours) - rssAdded(pair.base)),
        },
        {
          what: "installed size",
          value: oursSize.bytes / baseSize.bytes,
          extra: mib(oursSize.bytes - baseSize.bytes),
        },
      ];
      for (const check of checks) {
        const met = check.value <= pair.max;
        targets.push({
          name: `${ours} vs ${base}: ${check.what}`,
          measured: ratio(check.value),
          target: pair.goal,
          met,
          ...(!met && { why: coldStartWhy(pair.ours, check.what, check.extra) }),
        });
      }
    }
    const markdown = [
      `Median of ${rounds} fresh \`node\` processes per package (${process.version}, taking turns), each timing \`await import(name)\` of the ESM entry and reading RSS after a GC. "RSS added" is over an empty \`node\` process (${mib(rss("empty"))}). Installed size is the package plus its whole dependency closure as installed (workspace packages: their published \`files\`).`,
      "",
      table(
        ["package", "import", "RSS", "RSS added", "installed (closure)", "packages"],
        rows.map((r) => [
          `\`${r.package}\``,
          ms(r.importMs),
          mib(r.rssBytes),
          mib(r.rssAddedBytes),
          mib(r.installedBytes),
          String(r.installedPackages),
        ]),
      ),
    ].join("\n");
    return { rows, markdown, targets } satisfies SectionResult;
  },
};

function coldStartWhy(ours: SubjectId, what: string, extra: string): string {
  if (ours === "core") return `core's ${what} is not well under zod's (${extra})`;
  if (what === "installed size")
    return `${extra} more on disk: @autoflow/core (its ESM and CJS builds with declarations for each, and jose), the package's own dist, and any dependency of its own the SDK does not have (see the provider's README)`;
  return `${extra} more: the package loads @autoflow/core (see its own row) and its own tasks, triggers and lifecycle on top of the SDK, modules the SDK does not load`;
}
