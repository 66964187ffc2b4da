import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { platform } from "node:process";
import { afterEach, describe, expect, it } from "vitest";
import { killScripts, spawnScript } from "./child-process";

// `npx -y pnpm@10 serve` runs `tsx src/serve.ts` after building the workspace packages it imports.
afterEach(killScripts);

const serve = (env: Record<string, string>) => spawnScript("src/serve.ts", env);

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the serve command", () => {
  it("exits non-zero with the configuration error, no stack and no secret", async () => {
    const { output, exited } = serve({ NODE_ENV: "production", AUTOFLOW_VAULT_KEY: "this-is-not-a-key" });
    expect(await exited).toBe(1);
    expect(output.stderr).toMatch(/^Configuration error: AUTOFLOW_VAULT_KEY/m);
    expect(output.stderr).not.toContain("this-is-not-a-key");
    expect(output.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("starts on SQLite with no set-up, warns loudly, prints the URL and a working dev token", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "autoflow-serve-"));
    const { child, output, exited } = serve({ PORT: "0", AUTOFLOW_STATE_DIR: stateDir });
    await until(() => /export AUTOFLOW_TOKEN=\S+/.test(output.stdout), "the dev token");
    expect(output.stderr).toMatch(/WARNING: AUTOFLOW_VAULT_KEY is not set/);
    const url = /listening on (http:\/\/\S+)/.exec(output.stdout)?.[1];
    const token = /export AUTOFLOW_TOKEN=(\S+)/.exec(output.stdout)?.[1];
    if (!url || !token) throw new Error(`unexpected output: ${output.stdout}`);

    const listed = await fetch(`${url}/api/integrations/slack/connections`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual([]);
    expect((await fetch(`${url}/api/integrations/github/connections`)).status).toBe(401);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  // On Linux all of 127.0.0.0/8 reaches this machine, so 127.0.0.2 stands in for "another interface".
  describe.skipIf(platform !== "linux")("the listening address", () => {
    const reachable = async (url: string) => {
      try {
        await fetch(`${url}/healthz`);
        return true;
      } catch {
        return false;
      }
    };
    const started = async (env: Record<string, string>) => {
      const script = serve({
        PORT: "0",
        AUTOFLOW_STATE_DIR: mkdtempSync(join(tmpdir(), "autoflow-serve-")),
        ...env,
      });
      await until(() => /listening on http:\/\/[^:]+:\d+/.test(script.output.stdout), "the URL");
      const port = /listening on http:\/\/[^:]+:(\d+)/.exec(script.output.stdout)?.[1];
      return { ...script, port };
    };

    it("is 127.0.0.1 by default: this machine only, and says how to change it", async () => {
      const { port, output } = await started({});
      expect(output.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:/);
      expect(output.stdout).toMatch(/set AUTOFLOW_HOST/);
      expect(await reachable(`http://127.0.0.1:${port}`)).toBe(true);
      expect(await reachable(`http://127.0.0.2:${port}`)).toBe(false);
    });

    it("is AUTOFLOW_HOST when set (0.0.0.0: every interface)", async () => {
      const { port } = await started({ AUTOFLOW_HOST: "0.0.0.0" });
      expect(await reachable(`http://127.0.0.2:${port}`)).toBe(true);
    });
  });
});
