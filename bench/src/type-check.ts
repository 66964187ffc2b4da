import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchSection, SectionResult } from "./section";
import { median, ms, nowMs, ratio, table } from "./stats";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = createRequire(join(benchDir, "package.json")).resolve("typescript/bin/tsc");
const MAX_RATIO = 2;

/** The README's quick example, reduced to one post: what a consumer of `@autoflow/slack` writes. */
const OURS = `import { defineJob, JobRunner } from "@autoflow/core";
import { Slack } from "@autoflow/slack";

const slack = new Slack({ id: "slack", token: "xoxb-bench" });

const job = defineJob({
  id: "deploy-notice",
  integrations: { slack },
  run: async (payload: { url: string }, io) => {
    const posted = await io.slack.chat.postMessage("announce", {
      channel: "#general",
      text: \`Deployed: \${payload.url}\`,
    });
    return posted.ts;
  },
});

const result = await new JobRunner().run(job, { payload: { url: "https://example.com" } });
export const status: string = result.status;
`;

/** The same post with the bare SDK. */
const BARE = `import { WebClient } from "@slack/web-api";

const client = new WebClient("xoxb-bench");
const url = "https://example.com";
const posted = await client.chat.postMessage({ channel: "#general", text: \`Deployed: \${url}\` });
export const ts: string | undefined = posted.ts;
`;

// The consumer's own project: ESM on Node's resolution (the packages' `exports`), with Node's types as a Node app has.
const TSCONFIG = {
  compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", types: ["node"] },
};

/** One `tsc --noEmit --strict` of `file` in `dir`, in milliseconds; throws with tsc's output when it fails. */
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
    throw new Error(`tsc failed on ${file}.ts:\n${out}`);
  }
  return nowMs() - started;
}

/**
 * Item 3b: how long `tsc --noEmit --strict` takes on a README-style consumer file using `@autoflow/slack`,
 * against the same call with the bare `@slack/web-api`: the median of fresh `tsc` processes taking turns.
 */
export const typeCheckTime: BenchSection = {
  id: "type-check",
  title: "3b. Type-check time of a consumer's file",
  run: async (context) => {
    const rounds = 3;
    // Inside bench/ so both files resolve the packages from bench's node_modules, as an application's would.
    const dir = mkdtempSync(join(benchDir, ".type-check-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
      const samples: Record<"ours" | "bare", number[]> = { ours: [], bare: [] };
      for (const [name, source] of [
        ["ours", OURS],
        ["bare", BARE],
      ] as const) {
        writeFileSync(join(dir, `${name}.ts`), source);
        writeFileSync(
          join(dir, `tsconfig.${name}.json`),
          JSON.stringify({ ...TSCONFIG, files: [`${name}.ts`] }),
        );
      }
      typeCheck(dir, "bare"); // warm the file system cache for both alike
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? (["ours", "bare"] as const) : (["bare", "ours"] as const);
        for (const name of order) samples[name].push(typeCheck(dir, name));
      }
      context.log(`${rounds} fresh tsc processes per file, alternating`);
      const ours = median(samples.ours);
      const bare = median(samples.bare);
      const value = ours / bare;
      const met = value < MAX_RATIO;
      const rows = [
        { file: "@autoflow/slack consumer", medianMs: ours, samplesMs: samples.ours },
        { file: "@slack/web-api consumer", medianMs: bare, samplesMs: samples.bare },
      ];
      const markdown = [
        `Median of ${rounds} fresh \`tsc --noEmit --strict\` processes per file (TypeScript ${tscVersion()}, alternating; \`module: nodenext\`, no \`skipLibCheck\`), each checking one file that posts a message: the README's job through \`new Slack(...)\` and \`io.slack.chat.postMessage\`, or \`WebClient.chat.postMessage\` directly.`,
        "",
        table(
          ["file", "type-check"],
          rows.map((r) => [r.file, ms(r.medianMs, 0)]),
        ),
      ].join("\n");
      return {
        rows,
        markdown,
        targets: [
          {
            name: "@autoflow/slack vs @slack/web-api: consumer type-check time",
            measured: ratio(value),
            target: `< ${MAX_RATIO.toFixed(2)}x`,
            met,
            ...(!met && {
              why: `${ms(ours - bare, 0)} more: the consumer file also checks @autoflow/core's declarations (its job, runner and task types) on top of the SDK's`,
            }),
          },
        ],
      } satisfies SectionResult;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function tscVersion(): string {
  return execFileSync(process.execPath, [tsc, "--version"], { encoding: "utf8" })
    .trim()
    .replace(/^Version /, "");
}
