import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EMULATORS } from "../src/emulator-list";
import { killLeftovers } from "./cli-process";
import { exportsOf, field, freePort, refused, runCli } from "./cli-run";

// The command over every listed emulator; what each one's seeds and faults do is in `<provider>-cli.test.ts`.
const ids = EMULATORS.map((emulator) => emulator.id);
const first = ids[0] ?? "";
const last = ids.at(-1) ?? "";

afterEach(killLeftovers);

describe("autoflow-emulators", () => {
  it("runs every listed emulator, prints its URLs, a token and its exports, and stops on SIGINT with exit 0", async () => {
    // In a folder that does not exist yet, as `.autoflow/` before the first `pnpm serve`.
    const envOut = join(mkdtempSync(join(tmpdir(), "autoflow-emulators-")), "state", "emulators.env");
    const cli = runCli(["--env-out", envOut]);
    const output = await cli.waitFor("Ctrl-C stops the emulators");

    const env = exportsOf(output);
    const apiUrls: string[] = [];
    for (const { id, envPrefix } of EMULATORS) {
      const apiUrl = field(output, id, "API URL");
      apiUrls.push(apiUrl);
      expect(field(output, id, "Token")).not.toBe("");
      expect(env).toMatchObject({
        [`${envPrefix}API_URL`]: apiUrl,
        [`${envPrefix}WEB_URL`]: field(output, id, "Web URL"),
      });
    }
    expect(Object.keys(env).every((name) => EMULATORS.some((e) => name.startsWith(e.envPrefix)))).toBe(true);
    // The env file holds the same lines, readable by its owner only (it carries the OAuth apps' secrets).
    expect(exportsOf(readFileSync(envOut, "utf8"))).toEqual(env);
    expect(statSync(envOut).mode & 0o777).toBe(0o600);

    cli.child.kill("SIGINT");
    const exit = await cli.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(cli.output()).toContain("Stopped (SIGINT)");
    for (const apiUrl of apiUrls) expect(await refused(apiUrl)).toBe(true);
    // A stale file would point the service at closed ports.
    expect(existsSync(envOut)).toBe(false);
  });

  it("listens on the port given, runs only the providers named, and stops on SIGTERM with exit 0", async () => {
    const port = await freePort();
    const cli = runCli(["--providers", last, "--port", `${last}=${port}`]);
    const output = await cli.waitFor("Ctrl-C stops the emulators");

    expect(field(output, last, "Web URL")).toBe(`http://127.0.0.1:${port}`);
    for (const other of ids.filter((id) => id !== last)) expect(output).not.toContain(`${other} emulator`);
    const prefix = EMULATORS.at(-1)?.envPrefix ?? "";
    expect(Object.keys(exportsOf(output)).every((name) => name.startsWith(prefix))).toBe(true);

    cli.child.kill("SIGTERM");
    expect(await cli.exited).toMatchObject({ code: 0, signal: null });
    expect(await refused(`http://127.0.0.1:${port}/`)).toBe(true);
  });

  it("exits 1 with a clear message when a port is taken, and leaves no emulator running", async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    const free = await freePort();
    try {
      // The first starts on a free port, then the last fails: the first must be stopped again.
      const cli = runCli(["--port", `${first}=${free}`, "--port", `${last}=${port}`]);
      const exit = await cli.exited;
      expect(exit.code).toBe(1);
      expect(exit.stderr).toContain(`port ${port} for ${last} is already in use`);
      expect(await refused(`http://127.0.0.1:${free}/`)).toBe(true);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  describe.each([
    {
      args: ["--providers", `${first},no-such-provider`],
      message: `unknown provider "no-such-provider" (known: ${ids.join(", ")})`,
    },
    { args: ["--providers", ""], message: "--providers needs at least one provider" },
    { args: ["--port", `${first}=99999`], message: `--port ${first}: "99999" is not a port` },
    { args: ["--port", "4001"], message: `--port "4001": write <provider>=<value>, e.g. --port ${first}=` },
    {
      args: ["--providers", first, "--port", `${last}=4002`],
      message: `${last} is not among the providers being run`,
    },
    {
      args: ["--port", `${first}=4001`, "--port", `${last}=4001`],
      message: "--port 4001 is given to two providers",
    },
    { args: ["--fault", `${first}=explode`], message: `--fault ${first}: unknown fault "explode"` },
    { args: ["--prot", `${first}=1`], message: "Unknown option '--prot'" },
    { args: ["extra"], message: "Unexpected argument 'extra'" },
  ])("refuses $args", ({ args, message }) => {
    it("with exit code 2 and a message naming the problem", async () => {
      const exit = await runCli(args).exited;
      expect(exit.code).toBe(2);
      expect(exit.stderr).toContain(message);
      expect(exit.stderr).toContain("autoflow-emulators --help");
    });
  });

  it("--help lists the options, the providers, their seeds and the faults, and exits 0", async () => {
    const cli = runCli(["--help"]);
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    for (const text of [
      "--providers",
      "--port <provider>=<port>",
      "--seed",
      "--fault",
      "--env-out",
      ids.join(","),
      ...EMULATORS.map((e) => `${e.id}: ${e.cli.seedHelp}`),
      "rate-limited",
    ]) {
      expect(cli.output()).toContain(text);
    }
  });
});
