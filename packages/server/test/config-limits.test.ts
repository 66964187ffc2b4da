import { describe, expect, it } from "vitest";
import { loadServerConfig, ServerConfigError } from "../src/config";
import { generateVaultKey } from "../src/vault/vault";

const base = {
  NODE_ENV: "test",
  AUTOFLOW_VAULT_KEY: generateVaultKey(),
  AUTOFLOW_JWT_SECRET: "a-test-secret-of-at-least-32-characters",
};

describe("per-user limits in the configuration", () => {
  it("default to 100 runs in flight per user and 100 steps per workflow", () => {
    expect(loadServerConfig(base).limits).toEqual({ maxRunsInFlightPerUser: 100, maxStepsPerWorkflow: 100 });
  });

  it("read AUTOFLOW_MAX_RUNS_IN_FLIGHT_PER_USER and AUTOFLOW_MAX_STEPS_PER_WORKFLOW", () => {
    const config = loadServerConfig({
      ...base,
      AUTOFLOW_MAX_RUNS_IN_FLIGHT_PER_USER: "7",
      AUTOFLOW_MAX_STEPS_PER_WORKFLOW: "12",
    });
    expect(config.limits).toEqual({ maxRunsInFlightPerUser: 7, maxStepsPerWorkflow: 12 });
  });

  it.each(["0", "-1", "2.5", "many"])("refuse %s, naming the variable", (value) => {
    for (const name of ["AUTOFLOW_MAX_RUNS_IN_FLIGHT_PER_USER", "AUTOFLOW_MAX_STEPS_PER_WORKFLOW"]) {
      const load = () => loadServerConfig({ ...base, [name]: value });
      expect(load).toThrow(ServerConfigError);
      expect(load).toThrow(new RegExp(`^${name} must be a whole number of at least 1`));
    }
  });
});
