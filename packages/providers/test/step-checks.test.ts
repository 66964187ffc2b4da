import type { Vault } from "@autoflow/actions/testing";
import { type AuthType, AuthTypeMismatchError, IntegrationError, type NormalizedAuth } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { integrationRegistry, PROVIDERS, type ProviderPackage } from "../src/index";
import { providersFor, runStepInJob, runSteps } from "./helpers";
import { examplesOf, invalidSamplesFrom } from "./json-schema-check";

// The checks a step passes before anything is sent, on the first listed provider's first action and its first
// example: nothing here depends on which provider that is. Every provider's API is a closed loopback port, so a
// check that let a step through would fail to connect rather than reach a real API; the task log shows that
// nothing ran.
const listed: readonly ProviderPackage[] = PROVIDERS;
const provider = listed.find((p) => p.actions.length > 0);
const action = provider?.actions[0];
if (!provider || !action) throw new Error("no listed provider has a registry action");
const [inputs] = examplesOf(action);
const other = listed.find((p) => p.id !== provider.id);
const AUTH_TYPES: readonly AuthType[] = ["oauth2", "api_key", "bearer_token"];
const wrongType = AUTH_TYPES.find((type) => !action.authTypes.includes(type));

const SECRET = "step-checks-credential-secret";
function credential(providerId: string, type: AuthType): NormalizedAuth {
  if (type === "oauth2") return { provider: providerId, type, access_token: SECRET };
  if (type === "api_key") return { provider: providerId, type, api_key: SECRET };
  return { provider: providerId, type, token: SECRET };
}
const accepted = action.authTypes[0] ?? "oauth2";

const providers = () =>
  providersFor(Object.fromEntries(listed.map((p) => [p.id, { apiUrl: "http://127.0.0.1:9/" }])));
const step = { id: "step", action: action.key, inputs, credentialId: "cred" };
const vault: Vault = { cred: credential(provider.id, accepted) };

describe(`credential checks (${action.key})`, () => {
  it.skipIf(wrongType === undefined)(
    "a credential of a type the action does not accept is an AuthTypeMismatchError, and nothing runs",
    async () => {
      const { thrown, tasks } = await runStepInJob(
        { action: action.key, inputs, credential: credential(provider.id, wrongType ?? accepted) },
        providers(),
      );
      expect(AuthTypeMismatchError.isInstance(thrown)).toBe(true);
      expect((thrown as Error).message).toBe(
        `The ${provider.id} credential is "${wrongType}", but this step needs ${action.authTypes.map((t) => `"${t}"`).join(" or ")}`,
      );
      expect(tasks).toEqual([]);
    },
  );

  it.skipIf(wrongType === undefined)(
    "in a step job the mismatch fails the run as an `auth` error naming the step",
    async () => {
      const mismatched: Vault = { cred: credential(provider.id, wrongType ?? accepted) };
      const { result, tasks } = await runSteps([step], { vault: mismatched, providers: providers() });
      expect(result).toMatchObject({ status: "failed", error: { type: "auth", code: "auth_type_mismatch" } });
      if (result.status === "failed") {
        const prefix = `Step "step": The ${provider.id} credential`;
        expect(result.error.message.slice(0, prefix.length)).toBe(prefix);
      }
      expect(tasks).toEqual([]);
    },
  );

  it.skipIf(other === undefined)("refuses another provider's credential", async () => {
    const otherId = other?.id ?? "";
    const { thrown, tasks } = await runStepInJob(
      { action: action.key, inputs, credential: credential(otherId, accepted) },
      providers(),
    );
    expect(IntegrationError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({ type: "auth", code: "invalid_credential" });
    expect((thrown as Error).message).toBe(
      `${action.key}: The credential belongs to "${otherId}", not ${provider.id}`,
    );
    expect((thrown as Error).message).not.toContain(SECRET);
    expect(tasks).toEqual([]);
  });

  it("a missing credential is an `auth` error saying what to bind", async () => {
    const { thrown, tasks } = await runStepInJob({ action: action.key, inputs }, providers());
    expect(thrown).toMatchObject({ type: "auth", code: "missing_credential" });
    expect((thrown as Error).message).toContain(`${action.key} needs a ${provider.id} credential`);
    expect(tasks).toEqual([]);
  });
});

describe(`input validation (${action.key})`, () => {
  it("an invalid input is a `schema` IntegrationError naming the field, and nothing runs", async () => {
    const schema = integrationRegistry.list().find((a) => a.key === action.key)?.inputSchema ?? {};
    const invalid = invalidSamplesFrom(inputs, schema).find((sample) => sample.field !== undefined);
    if (!invalid)
      throw new Error(`no invalid input with a field can be derived from ${action.key}'s example`);
    const { thrown, tasks } = await runStepInJob(
      { action: action.key, inputs: invalid.input, credential: vault.cred },
      providers(),
    );
    expect(IntegrationError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({
      type: "schema",
      provider: provider.id,
      code: "invalid_inputs",
      retryable: false,
    });
    const prefix = `Invalid inputs for ${action.key}: ${invalid.field}: `;
    expect((thrown as Error).message.slice(0, prefix.length)).toBe(prefix);
    expect(tasks).toEqual([]);
  });

  it("an unknown action or a duplicate step id fails the plan before any step runs", async () => {
    const typo = action.key.slice(0, -1);
    const unknown = await runSteps([step, { id: "two", action: typo, inputs: {} }], {
      vault,
      providers: providers(),
    });
    expect(unknown.result).toMatchObject({
      status: "failed",
      error: { type: "schema", code: "invalid_steps" },
    });
    if (unknown.result.status === "failed") {
      expect(unknown.result.error.message).toContain(`steps.1.action: Unknown action "${typo}"`);
    }
    expect(unknown.tasks).toEqual([]);
    const duplicate = await runSteps([step, step], { vault, providers: providers() });
    expect(duplicate.result).toMatchObject({ status: "failed", error: { type: "schema" } });
    expect(duplicate.tasks).toEqual([]);
  });
});
