import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
});
