import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadServerConfig, ServerConfigError } from "../src/config";
import { PROVIDER_IDS } from "../src/providers";
import { generateVaultKey } from "../src/vault/vault";
import { WEBHOOK_PROVIDERS } from "../src/webhooks";

const stateDir = mkdtempSync(join(tmpdir(), "autoflow-body-limit-"));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const load = (env: Record<string, string>) =>
  loadServerConfig(
    { AUTOFLOW_VAULT_KEY: generateVaultKey(), AUTOFLOW_STATE_DIR: stateDir, ...env },
    PROVIDER_IDS,
  );

describe("per-provider webhook body limits", () => {
  it("come from each provider's manifest: GitHub's 25 MiB payload cap, none (the 1 MiB default) for Slack", () => {
    const limits = Object.fromEntries(WEBHOOK_PROVIDERS.map((p) => [p.id, p.maxBodyBytes]));
    expect(limits).toMatchObject({ github: 25 * 1024 * 1024, slack: undefined });
  });

  it("are overridden per provider by AUTOFLOW_<P>_WEBHOOK_MAX_BODY_BYTES, and unset otherwise", () => {
    const config = load({ AUTOFLOW_GITHUB_WEBHOOK_MAX_BODY_BYTES: "5242880" });
    expect(config.providers.github?.webhookMaxBodyBytes).toBe(5 * 1024 * 1024);
    expect(config.providers.slack?.webhookMaxBodyBytes).toBeUndefined();
    expect(load({}).providers.github?.webhookMaxBodyBytes).toBeUndefined();
  });

  it.each(["0", "-1", "2.5", "25MB"])("refuse %s, naming the variable", (value) => {
    let error: unknown;
    try {
      load({ AUTOFLOW_SLACK_WEBHOOK_MAX_BODY_BYTES: value });
    } catch (caught) {
      error = caught;
    }
    expect(ServerConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "AUTOFLOW_SLACK_WEBHOOK_MAX_BODY_BYTES must be a whole number of at least 1",
    );
  });
});
