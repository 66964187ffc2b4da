import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionStore } from "../lifecycle/connection-store";
import type { ConnectorLifecycle } from "../lifecycle/connector-lifecycle";
import { sharedClientCache } from "../provider-kit/client-cache";
import type { ProviderDefinition } from "../provider-kit/provider-definition";
import type { ProviderEmulator } from "../provider-kit/provider-emulator";
import type { ProviderIntegration } from "../provider-kit/provider-integration";
import { sdkNamespaceNames } from "../provider-kit/sdk-passthrough";
import { literalHeadsOf } from "../provider-kit/secret-shapes";
import type { Clock } from "../runtime/clock";
import { defineJob } from "../runtime/job";
import { MemoryTaskStore } from "../runtime/memory-task-store";
import { JobRunner } from "../runtime/runner";
import { createConsumerProject } from "./consumer-project";
import { type ContractTask, describeIntegrationContract } from "./integration-contract";
import { describeConnectorLifecycle, type HealthFault } from "./lifecycle-contract";
import type { FaultExpectation, StandardFault } from "./standard-faults";

// biome-ignore lint/suspicious/noExplicitAny: the suite drives a provider class of any client and options.
type AnyProvider = ProviderIntegration<any, any>;

/** Options for `describeProvider`: what a provider package supplies to run the shared suite. */
export interface ProviderSuiteOptions<T extends AnyProvider, E extends ProviderEmulator> {
  /** The exported class name, e.g. "Acme". */
  className: string;
  /** The provider's definition (`ACME_PROVIDER_DEFINITION`): its id, name and SDK tree. */
  // biome-ignore lint/suspicious/noExplicitAny: any client and options.
  definition: ProviderDefinition<any, any>;
  /** The provider's emulator, not yet started: the suite starts and stops it. */
  emulator: E;
  /**
   * Builds an instance pointed at the emulator, with the given options spread in (`timeoutMs` is short only for
   * the timeout fault, `maxResponseBytes` small only for the size-bound test).
   */
  create(
    options: { id: string; token?: string | undefined; timeoutMs?: number; maxResponseBytes?: number },
    emulator: E,
  ): T;
  /** Every hand-written task, each a real call against the emulator. */
  tasks: ContractTask<T>[];
  /** One cheap write or read the fault matrix injects every standard fault into. */
  faultCall(integration: T, key: string): Promise<unknown>;
  /** Faults the provider classifies differently, with a documented reason. */
  faultOverrides?: Partial<Record<StandardFault, FaultExpectation | "skip">>;
  /** A method with no hand-written task: it must run as a task named after its SDK path. */
  passthrough: { method: string; call(integration: T, key: string): Promise<unknown> };
  /** The connection lifecycle, wired to the emulator (OAuth client, base URLs). */
  lifecycle: {
    create(store: ConnectionStore, clock: Clock, emulator: E): ConnectorLifecycle<string, object>;
    expectedMetadata: Record<string, unknown>;
    /** A token the lifecycle may revoke (default: the emulator's `mintToken()`). */
    mintToken?(emulator: E): string;
    healthFault?(emulator: E, fault: HealthFault): void | Promise<void>;
    refresh?: { refreshRequestCount(emulator: E): number; invalidateRefreshTokens(emulator: E): void };
  };
  /** The CommonJS + ESM consumer smoke test of the built package. */
  consumer?: {
    /** The provider package's directory (built); `@autoflow/core` is linked from where it resolves there. */
    packageDir: string;
    /** The package and class to import, e.g. `["@autoflow/acme", "Acme"]`. */
    importFrom: readonly [string, string];
    /** A constructor options literal (JS source) pointed at the emulator, given a token. */
    options(token: string, emulator: E): string;
    /** The job's body (JS source, an async expression using `io.x`) whose JSON result `expected` must match. */
    body: string;
    expected: unknown;
  };
}

/**
 * The suite every provider package runs against its emulator, under one file name (`test/provider.test.ts`):
 * the integration contract with every hand-written task, the fault matrix over the standard faults, the
 * passthrough shape, client reuse across runs, the connection lifecycle contract, and a CommonJS + ESM
 * consumer of the built package.
 */
export function describeProvider<T extends AnyProvider, E extends ProviderEmulator>(
  options: ProviderSuiteOptions<T, E>,
): void {
  const { emulator } = options;
  beforeAll(() => emulator.start());
  afterAll(() => emulator.stop());
  // Minting needs no server: the contract kit reads the token when it registers its tests.
  const token = emulator.mintToken();
  const { definition } = options;

  describeIntegrationContract<T>({
    className: options.className,
    metadata: { name: definition.name, id: definition.id },
    create: (create) => options.create(create, emulator),
    token,
    hostedAuth: { type: "oauth2", accessToken: token },
    tasks: options.tasks,
    faults: {
      inject: (fault) => emulator.injectFault(fault),
      reset: () => emulator.clearFaults(),
      call: options.faultCall,
      ...(options.faultOverrides && { overrides: options.faultOverrides }),
    },
  });

  describe(`${options.className} provider kit`, () => {
    const runOnce = async (integration: T, body: (io: T) => Promise<unknown>, runId?: string) => {
      const store = new MemoryTaskStore();
      const job = defineJob({
        id: "suite",
        integrations: { integration },
        run: async (_p, io) => body(io.integration),
      });
      const result = await new JobRunner({ store, logger: false }).run(job, runId ? { runId } : {});
      return { result, tasks: (await store.loadRun(result.runId))?.tasks ?? [] };
    };

    it("declares token shapes that each start with a literal, so redaction's pre-check stays cheap", () => {
      const shapes = definition.secrets?.tokenShapes ?? [];
      // A shape without a literal head makes every task of every provider run every shape over its whole output.
      const headless = shapes.filter((shape) => literalHeadsOf(shape).some((head) => head.length < 2));
      expect(headless.map(String)).toEqual([]);
    });

    it("has a getter for every namespace of the SDK's method tree", () => {
      const names = sdkNamespaceNames(definition.sdk);
      expect(names.length).toBeGreaterThan(0);
      const sample = options.create({ id: "suite", token }, emulator);
      const missing = names.filter((name) => !(name in sample));
      expect(missing).toEqual([]);
    });

    it(`runs ${options.passthrough.method}, which has no hand-written task, as a task named after its SDK path`, async () => {
      const integration = options.create({ id: "suite-passthrough", token }, emulator);
      const { result, tasks } = await runOnce(integration, (io) =>
        options.passthrough.call(io, "passthrough"),
      );
      expect(result.status, JSON.stringify(result)).toBe("completed");
      expect(tasks.find((task) => task.id === "passthrough")?.name).toBe(options.passthrough.method);
    });

    it("refuses an answer over maxResponseBytes as final (schema, response_too_large), sent once", async () => {
      const integration = options.create({ id: "suite-bound", token, maxResponseBytes: 8 }, emulator);
      const sent = emulator.requests.length;
      const { result } = await runOnce(integration, (io) => options.faultCall(io, "bounded"));
      expect(result.status, JSON.stringify(result)).toBe("failed");
      expect(result).toMatchObject({ error: { type: "schema", reason: "response_too_large" } });
      expect(emulator.requests.length - sent).toBe(1);
    });

    it("caches namespace objects per clone", async () => {
      const integration = options.create({ id: "suite-cache", token }, emulator);
      const seen: unknown[] = [];
      await runOnce(integration, async (io) => {
        const [name] = sdkNamespaceNames(definition.sdk);
        const read = (io as unknown as Record<string, unknown>)[name ?? ""];
        seen.push(read, (io as unknown as Record<string, unknown>)[name ?? ""]);
      });
      expect(seen[0]).toBeDefined();
      expect(seen[0]).toBe(seen[1]);
    });

    it("reuses one SDK client across runs with the same token, and builds another for another token", async () => {
      const created: string[] = [];
      const counting = options.create({ id: "suite-clients", token }, emulator);
      const original = counting.definition.createClient;
      // Count what the definition builds, through the class's own definition object (restored after).
      counting.definition.createClient = (
        t: string,
        o: unknown,
        fields: Readonly<Record<string, string>>,
      ) => {
        created.push(t);
        return original(t, o, fields);
      };
      try {
        const fresh = emulator.mintToken();
        for (const runToken of [fresh, fresh, fresh]) {
          const { result } = await runOnce(
            options.create({ id: "suite-clients", token: runToken }, emulator),
            (io) => options.faultCall(io, "reuse"),
          );
          expect(result.status, JSON.stringify(result)).toBe("completed");
        }
        expect(created.filter((t) => t === fresh)).toHaveLength(1);
        const other = emulator.mintToken();
        await runOnce(options.create({ id: "suite-clients", token: other }, emulator), (io) =>
          options.faultCall(io, "other"),
        );
        expect(created.filter((t) => t === other)).toHaveLength(1);
        expect(sharedClientCache.size).toBeGreaterThan(0);
      } finally {
        counting.definition.createClient = original;
      }
    });
  });

  const { lifecycle } = options;
  describeConnectorLifecycle({
    provider: definition.id,
    createLifecycle: (store, clock) => lifecycle.create(store, clock, emulator),
    mintToken: () => (lifecycle.mintToken ? lifecycle.mintToken(emulator) : emulator.mintToken()),
    expectedMetadata: lifecycle.expectedMetadata,
    requestCount: () => emulator.requests.length,
    injectFault: (fault) =>
      lifecycle.healthFault ? lifecycle.healthFault(emulator, fault) : emulator.injectFault(fault),
    resetFaults: () => emulator.clearFaults(),
    ...(lifecycle.refresh && {
      refresh: {
        refreshRequestCount: () => lifecycle.refresh?.refreshRequestCount(emulator) ?? 0,
        invalidateRefreshTokens: () => lifecycle.refresh?.invalidateRefreshTokens(emulator),
      },
    }),
  });

  const { consumer } = options;
  if (!consumer) return;
  describe(`${options.className}: the built package`, () => {
    const [from, className] = consumer.importFrom;
    const job = (token: string) => `
      const integration = new ${className}(${consumer.options(token, emulator)});
      const job = defineJob({ id: "smoke", integrations: { x: integration }, run: async (_p, io) => (${consumer.body}) });
      console.log(JSON.stringify(await new JobRunner().run(job, { runId: "r" })));
    `;
    it.each([
      [
        "an ES module project",
        "esm.mjs",
        (t: string) =>
          `import { defineJob, JobRunner } from "@autoflow/core";\nimport { ${className} } from "${from}";\n${job(t)}`,
      ],
      [
        "a CommonJS project",
        "cjs.cjs",
        (t: string) =>
          `const { defineJob, JobRunner } = require("@autoflow/core");\nconst { ${className} } = require("${from}");\n(async () => { ${job(t)} })();`,
      ],
    ])("runs a job from %s", async (_kind, file, source) => {
      const core = dirname(
        createRequire(join(consumer.packageDir, "package.json")).resolve("@autoflow/core/package.json"),
      );
      const project = createConsumerProject({ "@autoflow/core": core, [from]: consumer.packageDir });
      const out = JSON.parse(await project.run(file, source(emulator.mintToken())));
      expect(out).toEqual({ runId: "r", status: "completed", output: consumer.expected });
    });
  });
}
