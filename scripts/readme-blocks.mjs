#!/usr/bin/env node
// Runs the READMEs' code blocks, so a sample that stops working fails CI.
//
// Every ```ts/```js and ```sh block of the READMEs (root, packages/*, examples, bench, docs/*.md) is
// extracted. TypeScript/JavaScript blocks are type-checked together under the repository's strict
// tsconfig against the built workspace packages, then each runs with tsx against every listed emulator:
// the blocks see <ID>_TOKEN (a token each emulator accepts), the emulators' AUTOFLOW_* variables, and
// requests to the real APIs are routed to the emulators (scripts/readme-blocks-route.mjs, from each
// emulator's `samples`), so a sample runs as written. Shell blocks run with bash in an empty
// temporary directory, the repository's bins (autoflow, autoflow-emulators, tsc, ...) on the PATH.
//
// A block that cannot run says why right before its fence, on the line above it:
//   <!-- readme-blocks: skip — needs a real workspace and a person's consent -->
// (a reason is required). A fragment of a job's run function (it uses `io.<provider>`) runs inside a job, with the
// integrations it names and, after the dash, the declarations of the values it takes from the job around it:
//   <!-- readme-blocks: in a job with Acme — const widget = "w-1"; -->
// The job must complete. `node scripts/readme-blocks.mjs --list` shows every block and its verdict.
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
// The blocks are written inside the examples package, which depends on every package they import.
const HOST = join(ROOT, "examples");
const WORK = join(HOST, ".readme-blocks");
const TS_LANGS = new Set(["ts", "typescript", "js", "javascript", "mjs"]);
const SH_LANGS = new Set(["sh", "bash", "shell"]);
const SKIP = /^<!--\s*readme-blocks:\s*skip\s*[—:-]+\s*(.*?)\s*-->$/;
const IN_JOB =
  /^<!--\s*readme-blocks:\s*in a job with\s+([A-Za-z]+(?:\s*,\s*[A-Za-z]+)*)\s*(?:[—:-]+\s*(.*?))?\s*-->$/;
const BLOCK_TIMEOUT_MS = 60_000;

/** The Markdown files whose blocks run. */
export function readmeFiles() {
  const files = ["README.md", "examples/README.md", "bench/README.md"];
  for (const dir of readdirSync(join(ROOT, "packages")).sort()) {
    if (existsSync(join(ROOT, "packages", dir, "README.md"))) files.push(`packages/${dir}/README.md`);
  }
  for (const doc of readdirSync(join(ROOT, "docs")).sort())
    if (doc.endsWith(".md")) files.push(`docs/${doc}`);
  return files;
}

/** The code blocks of one Markdown file: language, the fence's line, the code, and the skip reason if any. */
export function extractBlocks(file, text = readFileSync(join(ROOT, file), "utf8")) {
  const lines = text.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^(\s*)(`{3,})(\w*)/);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end].startsWith(`${indent}${fence}`)) end++;
    const code = lines
      .slice(i + 1, end)
      .map((line) => line.slice(indent.length))
      .join("\n");
    let above = i - 1;
    while (above >= 0 && lines[above].trim() === "") above--;
    const marker = above >= 0 ? lines[above].trim() : "";
    const skip = marker.match(SKIP);
    const inJob = marker.match(IN_JOB);
    const kind = TS_LANGS.has(lang) ? "ts" : SH_LANGS.has(lang) ? "sh" : undefined;
    if (kind) {
      const block = { file, line: i + 1, lang, kind, code, skip: skip ? skip[1] : undefined, marker };
      if (inJob) block.job = { classes: inJob[1].split(/\s*,\s*/), prelude: inJob[2] ?? "" };
      blocks.push(block);
    }
    i = end;
  }
  return blocks;
}

function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n(killed after ${BLOCK_TIMEOUT_MS} ms)`;
      child.kill("SIGKILL");
    }, BLOCK_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

/**
 * Every listed emulator (`EMULATORS` of `@autoflow/emulators`), started with the seeds the samples name: the blocks
 * get each one's `AUTOFLOW_<ID>_*` variables, a token it accepts in `<ID>_TOKEN` (and the rest of a credential that is
 * more than a token in `<ID>_<LABEL>`: `<ID>_API_TOKEN`, `<ID>_EMAIL`, `<ID>_SITE_URL`), and the routes from the real
 * APIs to the emulators (`AUTOFLOW_README_ROUTES`, read by scripts/readme-blocks-route.mjs).
 */
async function startEmulators() {
  const require = createRequire(join(HOST, "package.json"));
  const { EMULATORS } = await import(pathToFileURL(require.resolve("@autoflow/emulators")).href);
  const started = [];
  const env = { AUTOFLOW_VAULT_KEY: Buffer.alloc(32, 7).toString("base64") };
  const routes = [];
  try {
    for (const descriptor of EMULATORS) {
      const cli = descriptor.cli.create({});
      const { emulator, seed } = cli;
      await emulator.start();
      started.push(emulator);
      for (const value of descriptor.samples?.seeds ?? []) seed(value);
      const prefix = descriptor.id.toUpperCase();
      Object.assign(env, emulator.env(), { [`${prefix}_TOKEN`]: emulator.mintToken() });
      // A credential that is more than a token (an API token, its account's email, its site): <ID>_<LABEL>.
      for (const [label, value] of cli.credentials?.() ?? []) {
        env[`${prefix}_${label.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`] = value;
      }
      if (descriptor.samples) routes.push([descriptor.samples.realApiUrl, emulator.apiUrl]);
    }
  } catch (error) {
    await Promise.all(started.map((emulator) => emulator.stop()));
    throw error;
  }
  env.AUTOFLOW_README_ROUTES = JSON.stringify(routes);
  return { env, stop: () => Promise.all(started.map((emulator) => emulator.stop())) };
}

function blockName(block) {
  return `${block.file.replace(/\/README\.md$|\.md$/, "").replace(/[^A-Za-z0-9]+/g, "-")}-L${block.line}`;
}

function where(block, offset = 0) {
  return `${block.file}:${block.line + 1 + offset}`;
}

/**
 * A job-fragment block as a file of its own: a job whose integrations are the named classes (each from
 * `@autoflow/<class in lower case>`, with the token the emulators accept), the prelude, then the block, run once;
 * the process fails when the run does not complete. Answers the file and how many lines precede the block.
 */
function inJobSource(block) {
  const { classes, prelude } = block.job;
  const header = [
    `import { defineJob, JobRunner } from "@autoflow/core";`,
    ...classes.map((name) => `import { ${name} } from "@autoflow/${name.toLowerCase()}";`),
    "const job = defineJob({",
    `  id: "readme-block",`,
    "  integrations: {",
    ...classes.map((name) => {
      const id = name.toLowerCase();
      return `    ${id}: new ${name}({ id: "${id}", token: process.env.${id.toUpperCase()}_TOKEN }),`;
    }),
    "  },",
    "  run: async (_payload: unknown, io) => {",
    prelude,
  ];
  const footer = [
    "  },",
    "});",
    "const result = await new JobRunner({ logger: false }).run(job);",
    `if (result.status === "failed") throw result.error;`,
    `if (result.status !== "completed") throw new Error(\`the run ended \${result.status}\`);`,
  ];
  return { source: [...header, block.code, ...footer].join("\n"), offset: header.length };
}

/** Type-checks every TypeScript block in one tsc program; answers the errors, mapped back to the READMEs. */
async function typecheck(blocks) {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const byFile = new Map();
  for (const block of blocks) {
    const name = `${blockName(block)}.ts`;
    const { source, offset } = block.job ? inJobSource(block) : { source: block.code, offset: 0 };
    writeFileSync(join(WORK, name), `${source}\n`);
    byFile.set(name, { block, offset });
  }
  writeFileSync(
    join(WORK, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.base.json",
      compilerOptions: { noEmit: true },
      include: ["*.ts"],
    }),
  );
  const tsc = createRequire(join(ROOT, "package.json")).resolve("typescript/bin/tsc");
  const { output } = await run(process.execPath, [tsc, "-p", WORK, "--pretty", "false"], { cwd: WORK });
  const errors = [];
  for (const line of output.split("\n")) {
    const m = line.match(/^(.+?\.ts)\((\d+),(\d+)\): (error .*)$/);
    if (!m) continue;
    const written = byFile.get(m[1].split("/").pop());
    errors.push(written ? `${where(written.block, Number(m[2]) - 1 - written.offset)}: ${m[4]}` : line);
  }
  if (errors.length === 0 && /error/i.test(output)) errors.push(output.trim());
  return errors;
}

async function runTs(block, env) {
  const tsx = createRequire(join(HOST, "package.json")).resolve("tsx/esm");
  const route = join(ROOT, "scripts", "readme-blocks-route.mjs");
  const cwd = mkdtempSync(join(tmpdir(), "readme-block-"));
  try {
    return await run(
      process.execPath,
      [
        "--import",
        pathToFileURL(tsx).href,
        "--import",
        pathToFileURL(route).href,
        join(WORK, `${blockName(block)}.ts`),
      ],
      { cwd, env: { ...process.env, ...env, NO_COLOR: "1" } },
    );
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

async function runSh(block, env) {
  const bins = [
    join(ROOT, "node_modules", ".bin"),
    ...readdirSync(join(ROOT, "packages")).map((dir) => join(ROOT, "packages", dir, "node_modules", ".bin")),
    join(HOST, "node_modules", ".bin"),
  ].filter((dir) => existsSync(dir));
  const cwd = mkdtempSync(join(tmpdir(), "readme-block-"));
  try {
    return await run("bash", ["-euo", "pipefail", "-c", block.code], {
      cwd,
      env: {
        ...process.env,
        ...env,
        PATH: [...bins, dirname(process.execPath), process.env.PATH].join(delimiter),
      },
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]);
      }
    }),
  );
  return results;
}

/** Runs every block that is not skipped; answers the failures (empty when every block ran). */
export async function runReadmeBlocks({ files = readmeFiles(), log = console.log } = {}) {
  const blocks = files.flatMap((file) => extractBlocks(file));
  const failures = [];
  for (const block of blocks) {
    if (block.marker.startsWith("<!-- readme-blocks") && block.skip === undefined && !block.job) {
      failures.push(
        `${where(block, -1)}: a readme-blocks marker must be "skip — <reason>" or "in a job with <Class> — <prelude>": ${block.marker}`,
      );
    } else if (block.skip !== undefined && block.skip.length < 10) {
      failures.push(`${where(block, -1)}: a skipped block needs a reason (at least a few words)`);
    }
  }
  const runnable = blocks.filter((block) => block.skip === undefined);
  const ts = runnable.filter((block) => block.kind === "ts");
  const sh = runnable.filter((block) => block.kind === "sh");
  const started = Date.now();
  for (const error of await typecheck(ts)) failures.push(`type error: ${error}`);
  log(`readme-blocks: type-checked ${ts.length} TypeScript blocks in ${Date.now() - started} ms`);
  const emulators = await startEmulators();
  try {
    const outcomes = await mapLimit([...ts, ...sh], 4, async (block) => {
      const t0 = Date.now();
      const { code, output } =
        block.kind === "ts" ? await runTs(block, emulators.env) : await runSh(block, emulators.env);
      log(
        `readme-blocks: ${code === 0 ? "ok  " : "FAIL"} ${where(block, -1)} (${block.lang}, ${Date.now() - t0} ms)`,
      );
      return code === 0 ? undefined : `${where(block, -1)} (${block.lang}) exited ${code}:\n${output.trim()}`;
    });
    failures.push(...outcomes.filter((outcome) => outcome !== undefined));
  } finally {
    await emulators.stop();
  }
  const skipped = blocks.length - runnable.length;
  log(
    `readme-blocks: ${runnable.length} blocks ran, ${skipped} skipped with a reason, ${failures.length} failed`,
  );
  return failures;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const files = args.filter((arg) => !arg.startsWith("--"));
  if (args.includes("--list")) {
    for (const file of files.length ? files : readmeFiles()) {
      for (const block of extractBlocks(file)) {
        console.log(
          `${where(block, -1)} ${block.lang}: ${block.skip !== undefined ? `skipped (${block.skip})` : block.job ? `runs in a job with ${block.job.classes.join(", ")}` : "runs"}`,
        );
      }
    }
  } else {
    const failures = await runReadmeBlocks(
      files.length ? { files: files.map((f) => relative(ROOT, join(process.cwd(), f))) } : {},
    );
    for (const failure of failures) console.error(`\n✖ ${failure}`);
    process.exitCode = failures.length ? 1 : 0;
  }
}
