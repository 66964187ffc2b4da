import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { installedSize } from "./installed-size";
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

const SUBJECTS = {
  empty: { name: "", cwd: benchDir },
  slack: { name: "@autoflow/slack", cwd: benchDir },
  slackSdk: { name: "@slack/web-api", cwd: benchDir },
  github: { name: "@autoflow/github", cwd: benchDir },
  githubSdk: { name: "octokit", cwd: benchDir },
  core: { name: "@autoflow/core", cwd: benchDir },
  zod: { name: "zod", cwd: serverDir },
} as const satisfies Record<string, Subject>;
type SubjectId = keyof typeof SUBJECTS;

/** Pairs compared against a target: ours over the baseline. */
const PAIRS: readonly { ours: SubjectId; base: SubjectId; max: number; goal: string }[] = [
  { ours: "slack", base: "slackSdk", max: 1.1, goal: "<= 1.10x" },
  { ours: "github", base: "githubSdk", max: 1.1, goal: "<= 1.10x" },
  // "Well under" zod: at most half.
  { ours: "core", base: "zod", max: 0.5, goal: "<= 0.50x (well under)" },
];

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
    const rounds = context.quick ? 5 : 15;
    const ids = Object.keys(SUBJECTS) as SubjectId[];
    const samples = Object.fromEntries(
      ids.map((id) => [id, { importMs: [] as number[], rss: [] as number[] }]),
    );
    probe(SUBJECTS.slack); // warm the file system cache for every subject alike
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < ids.length; k++) {
        const id = ids[(round + k) % ids.length] as SubjectId;
        const result = probe(SUBJECTS[id]);
        samples[id]?.importMs.push(result.importMs);
        samples[id]?.rss.push(result.rss);
      }
    }
    context.log(`${rounds} fresh processes per package, taking turns`);
    const importMs = (id: SubjectId) => median(samples[id]?.importMs ?? []);
    const rss = (id: SubjectId) => median(samples[id]?.rss ?? []);
    const rssAdded = (id: SubjectId) => rss(id) - rss("empty");
    const size = Object.fromEntries(
      ids
        .filter((id) => id !== "empty")
        .map((id) => [id, installedSize(SUBJECTS[id].name, SUBJECTS[id].cwd)]),
    ) as Record<Exclude<SubjectId, "empty">, { bytes: number; packages: number }>;

    const rows = ids
      .filter((id): id is Exclude<SubjectId, "empty"> => id !== "empty")
      .map((id) => ({
        package: SUBJECTS[id].name,
        importMs: importMs(id),
        rssBytes: rss(id),
        rssAddedBytes: rssAdded(id),
        installedBytes: size[id].bytes,
        installedPackages: size[id].packages,
      }));
    const targets: TargetResult[] = [];
    for (const pair of PAIRS) {
      const ours = SUBJECTS[pair.ours].name;
      const base = SUBJECTS[pair.base].name;
      const oursSize = size[pair.ours as Exclude<SubjectId, "empty">];
      const baseSize = size[pair.base as Exclude<SubjectId, "empty">];
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
    return `${extra} more on disk: @autoflow/core's dist (ESM + CJS + source maps + .d.ts) and its types-only dependency type-fest, plus the package's own dist`;
  return `${extra} more: the package loads @autoflow/core (see its own row; node:crypto is about half of it) and its own tasks, triggers and lifecycle on top of the SDK`;
}
