import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify, stripVTControlCharacters } from "node:util";
import { createPackedProject } from "@autoflow/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killScripts, spawnCollected } from "./child-process";
import { until } from "./until";

const run = promisify(execFile);
const PACKAGES = fileURLToPath(new URL("../..", import.meta.url));
const REPOSITORY = join(PACKAGES, "..");
// Packed as a user would get them from the registry: the command's package and the emulators a user installs as a
// development dependency to try it offline (createPackedProject adds the workspace packages they depend on).
const REQUESTED = ["server", "emulators"];

/**
 * The walk a new user takes after `npm install` of the tarballs outside the monorepo: the command's help, the
 * emulators, the service pointed at them, a development token, Slack and Stripe connected over its API, the
 * README's first job failing (one clear line, exit 1) and succeeding (live progress on a terminal), and the run
 * read back with `autoflow runs`.
 */
// CI runs the packed-tarball tests after the rest of the suite, on their own (AUTOFLOW_PACKED_TESTS=later during
// `pnpm test`, then this file alone): packing and installing the closure is slow on two cores shared with every
// other package's tests and the browser tests, and passed its margin there.
const runNow = process.env.AUTOFLOW_PACKED_TESTS !== "later";
describe.runIf(runNow)("autoflow from packed tarballs installed outside the monorepo", () => {
  let project: string;
  let env: NodeJS.ProcessEnv;
  let packed: string[];
  const bin = () => join(project, "node_modules", ".bin", "autoflow");

  /** A long-running `autoflow` command in the project, with everything it printed so far. */
  const start = (args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnCollected(bin(), args, { cwd: project, env: { ...env, ...extraEnv } });

  // The timeout is a margin, not a measure: 40 s alone with a warm npm cache; past 240 s once in CI, packing and
  // installing the closure (every provider's SDK since the provider list names five) beside the other suites.
  beforeAll(async () => {
    ({ dir: project, env, packages: packed } = await createPackedProject(PACKAGES, REQUESTED));
    // An ESM project, as the README's samples are written (top-level await).
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "app", private: true, type: "module" }),
    );
  }, 540_000);

  afterAll(killScripts);

  it("answers npx autoflow --help", async () => {
    const { stdout } = await run("npx", ["--no-install", "autoflow", "--help"], { cwd: project, env });
    expect(stdout).toContain("Usage: autoflow <command> [options]");
  });

  it("prints a token with autoflow token, and ships the LICENSE", async () => {
    const { stdout } = await run(bin(), ["token", "--user", "someone"], { cwd: project, env });
    const claims = JSON.parse(Buffer.from(stdout.trim().split(".")[1] ?? "", "base64url").toString());
    expect(claims.sub).toBe("someone");
    expect(existsSync(join(project, ".autoflow", "jwt.secret"))).toBe(true);
    expect(packed).toEqual(expect.arrayContaining(["core", "actions", "providers", "server", "emulators"]));
    for (const name of packed) {
      expect(existsSync(join(project, "node_modules", "@autoflow", name, "LICENSE"))).toBe(true);
    }
  });

  it("walks from the emulators and the service to a README job's failure, success and run view", async () => {
    // 1. The emulators, with the README sample's #ops channel seeded.
    const emulators = start(["emulators", "--seed", "slack=ops"]);
    await until(() => emulators.output.stdout.includes("Running."), "the emulators", 60_000);
    const emulatorEnv = Object.fromEntries(
      [...emulators.output.stdout.matchAll(/^export (AUTOFLOW_\w+)=(\S+)$/gm)].map(([, name, value]) => [
        name,
        value?.replace(/^'|'$/g, ""),
      ]),
    );
    const slackToken = /Token:\s+(xoxb-\S+)/.exec(emulators.output.stdout)?.[1];
    expect(emulatorEnv.AUTOFLOW_SLACK_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    expect(slackToken).toBeDefined();

    // 2. The service, pointed at them, and a development token for it.
    const serve = start(["serve"], { ...emulatorEnv, PORT: "0" });
    await until(() => /listening on http:\/\/\S+/.test(serve.output.stdout), "the service", 60_000);
    const url = /listening on (http:\/\/\S+)/.exec(serve.output.stdout)?.[1] ?? "";
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const { stdout: token } = await run(bin(), ["token", "--user", "walker"], { cwd: project, env });
    const auth = { authorization: `Bearer ${token.trim()}`, "content-type": "application/json" };
    const connected = await fetch(`${url}/api/integrations/slack/connections`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ accessToken: slackToken }),
    });
    expect(connected.status).toBe(201);
    const connection = (await connected.json()) as { tokenMasked: string; teamId: string };
    expect(connection.teamId).toBe("T01ACME000");
    expect(JSON.stringify(connection)).not.toContain(slackToken);
    const health = await fetch(`${url}/api/integrations/slack/health`, { headers: auth });
    expect(((await health.json()) as { status: string }).status).toBe("ok");
    // Every listed provider's emulator ran: a Stripe key connects too, its health the spec-003 envelope.
    const stripeKey = /Token:\s+(sk_test_\S+)/.exec(emulators.output.stdout)?.[1];
    const stripe = await fetch(`${url}/api/integrations/stripe/connections`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ apiKey: stripeKey }),
    });
    expect(stripe.status).toBe(201);
    const stripeHealth = await fetch(`${url}/api/integrations/stripe/health`, { headers: auth });
    expect(await stripeHealth.json()).toMatchObject({
      status: "ok",
      accountId: expect.stringMatching(/^acct_/),
      livemode: false,
    });

    // 3. The README's first job, verbatim, with slack.com routed to the emulator as the README blocks are in CI.
    const readme = readFileSync(join(REPOSITORY, "README.md"), "utf8");
    const job = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(job).toContain('channel: "#ops"');
    writeFileSync(join(project, "job.ts"), job);
    writeFileSync(join(project, "bad-job.ts"), job.replace('"#ops"', '"#no-such-channel"'));
    writeFileSync(
      join(project, "route.mjs"),
      readFileSync(join(REPOSITORY, "scripts", "readme-blocks-route.mjs"), "utf8"),
    );
    const jobEnv = {
      ...env,
      SLACK_TOKEN: slackToken,
      AUTOFLOW_README_ROUTES: JSON.stringify([
        ["https://slack.com/api/", emulatorEnv.AUTOFLOW_SLACK_API_URL],
      ]),
    };
    const node = (file: string) => [process.execPath, "--import", "./route.mjs", file];

    // It fails: the error told once, in one line, no stack, and exit 1.
    const failed = await run(node("bad-job.ts")[0] ?? "", node("bad-job.ts").slice(1), {
      cwd: project,
      env: jobEnv,
    }).then(
      () => undefined,
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    const errorLines = failed?.stderr.split("\n").filter((line) => line.includes("channel_not_found")) ?? [];
    expect(errorLines).toEqual([
      '  ✖ [slack] Post Message (notify)  attempt 1 · schema: [slack] chat.postMessage "notify" failed (schema, channel_not_found): #no-such-channel',
    ]);
    expect(failed?.stderr).toMatch(/^✖ run \S+ \(notify\) failed at "notify" \(schema\) in \d+ ms$/m);
    expect(failed?.stderr).not.toMatch(/\bat .*:\d+:\d+\)?$/m);
    expect(failed?.stderr).not.toMatch(/warn/i);

    // It succeeds on a terminal (`script` gives it one): the task's line drawn live, then redrawn as done.
    const { stdout: terminal } = await run(
      "script",
      [
        "-qfec",
        node("job.ts")
          .map((part) => `'${part}'`)
          .join(" "),
        "/dev/null",
      ],
      { cwd: project, env: jobEnv },
    );
    const screen = stripVTControlCharacters(terminal);
    expect(terminal).toContain("\x1b[32m"); // coloured, as on a terminal
    expect(screen).toContain("… [slack] Post Message (notify)  attempt 1");
    expect(screen).toMatch(/✔ \[slack\] Post Message \(notify\) {2}attempt 1 · \d+ ms/);
    expect(screen).toMatch(/✔ run completed in \d+ ms/);
    const runId = /▶ starting run (\S+) \(notify\)/.exec(screen)?.[1] ?? "";

    // 4. The run, read back from the task store the job wrote to.
    const { stdout: shown } = await run(bin(), ["runs", "show", runId], { cwd: project, env });
    expect(shown).toContain(`Run ${runId} (notify): ✔ completed`);
    expect(shown).toMatch(/^notify\s+Post Message\s+✔ completed\s+1\s/m);
    const { stdout: listed } = await run(bin(), ["runs", "--status", "failed", "--json"], {
      cwd: project,
      env,
    });
    const { runs } = JSON.parse(listed) as { runs: { jobId: string }[] };
    expect(runs.map((summary) => summary.jobId)).toEqual(["notify"]);

    // 5. Ctrl-C stops both cleanly.
    serve.child.kill("SIGINT");
    emulators.child.kill("SIGINT");
    expect(await serve.exited).toBe(0);
    expect(await emulators.exited).toBe(0);
    expect(serve.output.stdout).toContain("Stopped (SIGINT).");
    expect(`${serve.output.stderr}${emulators.output.stderr}`).not.toMatch(/Error|ExperimentalWarning/);
  }, 120_000);
});
