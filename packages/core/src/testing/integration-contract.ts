import { afterEach, describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import type { ConnectionAuth, IntegrationMetadata, TriggerIntegration } from "../integration";
import type { IO } from "../io";
import type { RunEvent } from "../runtime/events";
import { defineJob } from "../runtime/job";
import { MemoryTaskStore } from "../runtime/memory-task-store";
import { JobRunner } from "../runtime/runner";
import { DuplicateTaskKeyError } from "../runtime/usage-errors";
import {
  type FaultExpectation,
  STANDARD_FAULT_NAMES,
  STANDARD_FAULTS,
  type StandardFault,
} from "./standard-faults";
import { createTestClock } from "./test-clock";

/** One task of the integration, called on its run-bound clone with the key the kit chooses. */
export type ContractTask<T extends TriggerIntegration> = {
  /** e.g. "chat.postMessage". */
  name: string;
  call: (integration: T, key: string) => Promise<unknown>;
};

export interface IntegrationContractOptions<T extends TriggerIntegration> {
  /** The class name the package exports: the service's name, e.g. "Acme". */
  className: string;
  metadata: IntegrationMetadata;
  /**
   * Builds an instance; the kit passes `{ id }`, `{ id, token }` or `{ id, token: undefined }`, and
   * a short `timeoutMs` only for the `timeout` fault (elsewhere a slow CI machine must not time out).
   */
  create: (options: { id: string; token?: string | undefined; timeoutMs?: number }) => T;
  /** A token the provider (emulator) accepts. */
  token: string;
  /** Auth a HOSTED instance gets in `cloneForRun`. */
  hostedAuth: ConnectionAuth;
  /** Every task the package declares, each a real call against the emulator. */
  tasks: ContractTask<T>[];
  /** Fault injection against the emulator; the call must be one task of the integration. */
  faults?: {
    inject: (fault: StandardFault) => void | Promise<void>;
    reset: () => void | Promise<void>;
    call: (integration: T, key: string) => Promise<unknown>;
    /** Faults the provider cannot produce, or classifies differently with a documented reason. */
    overrides?: Partial<Record<StandardFault, FaultExpectation | "skip">>;
  };
}

/** Registers the contract tests every provider package must pass (class shape, cloneForRun, tasks, taxonomy). */
export function describeIntegrationContract<T extends TriggerIntegration>(
  options: IntegrationContractOptions<T>,
): void {
  const { className, metadata } = options;

  describe(`${className} integration contract`, () => {
    it("is named after the service, without a suffix", () => {
      const integration = options.create({ id: "contract", token: options.token });
      expect(integration.constructor.name).toBe(className);
      expect(className).not.toMatch(/(Integration|Connector|Client)$/);
    });

    it("exposes id, metadata and authSource", () => {
      const local = options.create({ id: "contract-local", token: options.token });
      expect(local.id).toBe("contract-local");
      expect(local.metadata).toEqual(metadata);
      expect(metadata.id).toMatch(/^[a-z0-9-]+$/);
      expect(local.authSource).toBe("LOCAL");
      expect(options.create({ id: "contract-hosted" }).authSource).toBe("HOSTED");
    });

    it("throws when the token key is present but undefined", () => {
      expect(() => options.create({ id: "missing-env", token: undefined })).toThrow(/missing-env/);
    });

    it("cloneForRun returns a new instance bound to the run, with LOCAL or HOSTED auth", async () => {
      const local = options.create({ id: "clone-local", token: options.token });
      const hosted = options.create({ id: "clone-hosted" });
      const job = defineJob({
        id: "contract-clone",
        integrations: { local, hosted },
        run: async (_payload, io) => {
          expect(io.local).not.toBe(local);
          expect(io.local).toBeInstanceOf(local.constructor);
          expect(io.local.id).toBe("clone-local");
          expect(io.hosted.id).toBe("clone-hosted");
          return "cloned";
        },
      });
      const runner = new JobRunner({ resolveAuth: () => options.hostedAuth, logger: false });
      expect(await runner.run(job)).toMatchObject({ status: "completed", output: "cloned" });
      expect(() => hosted.cloneForRun({} as IO, "clone-hosted")).toThrow();
    });

    describe.each(options.tasks.map((task) => [task.name, task] as const))("task %s", (_name, task) => {
      it("runs through runTask under the caller's key, with a display name and the integration's icon", async () => {
        const store = new MemoryTaskStore();
        const integration = options.create({ id: "contract-task", token: options.token });
        const job = defineJob({
          id: "contract-task",
          integrations: { integration },
          run: async (_payload, io) => task.call(io.integration, "contract-key"),
        });
        const result = await new JobRunner({ store, logger: false }).run(job, { runId: "contract-run" });
        expect(result.status, JSON.stringify(result)).toBe("completed");
        const record = (await store.loadRun("contract-run"))?.tasks.find((t) => t.id === "contract-key");
        expect(record, "no task was logged under the key the caller passed").toBeDefined();
        expect(record?.status).toBe("completed");
        expect(record?.name).not.toBe("contract-key");
        expect(record?.icon).toBe(metadata.id);
      });

      it("refuses the same key twice in one run", async () => {
        const integration = options.create({ id: "contract-dup", token: options.token });
        const job = defineJob({
          id: "contract-dup",
          integrations: { integration },
          run: async (_payload, io) => {
            await task.call(io.integration, "same-key");
            await task.call(io.integration, "same-key");
          },
        });
        // Fails on purpose: the result carries the failure, the runner's logger stays quiet.
        const result = await new JobRunner({ logger: false }).run(job);
        expect(result.status).toBe("failed");
        if (result.status === "failed")
          expect(DuplicateTaskKeyError.isInstance(result.error.cause)).toBe(true);
      });
    });

    const faults = options.faults;
    if (!faults) return;
    const cases = STANDARD_FAULT_NAMES.flatMap((fault) => {
      const expected: FaultExpectation | "skip" = faults.overrides?.[fault] ?? STANDARD_FAULTS[fault];
      return expected === "skip" ? [] : [[fault, expected] as const];
    });

    describe.each(cases)("fault %s", (fault, expected) => {
      afterEach(() => faults.reset());

      it(`is classified ${expected.type}, ${expected.retryable ? "and retried" : "and not retried"}`, async () => {
        await faults.inject(fault);
        const events: RunEvent[] = [];
        // The test clock starts at the real time, so a provider's Retry-After lands where the runtime expects it.
        const clock = createTestClock(Date.now());
        const integration = options.create({
          id: "contract-fault",
          token: options.token,
          ...(fault === "timeout" && { timeoutMs: 200 }),
        });
        const job = defineJob({
          id: "contract-fault",
          integrations: { integration },
          run: async (_payload, io) => faults.call(io.integration, "fault-key"),
        });
        const runner = new JobRunner({
          logger: false,
          clock,
          maxInProcessWaitMs: Number.POSITIVE_INFINITY,
          onEvent: (e) => events.push(e),
        });
        const result = await runner.run(job);

        expect(result.status).toBe("failed");
        if (result.status !== "failed") return;
        expect(IntegrationError.isInstance(result.error)).toBe(true);
        expect(result.error.type).toBe(expected.type);
        expect(result.error.provider).toBe(metadata.id);
        expect(result.error.retryable).toBe(expected.retryable);
        if (expected.reason !== undefined) expect(result.error.reason).toBe(expected.reason);

        const retries = events.filter((e) => e.type === "task.retrying");
        if (!expected.retryable) {
          expect(retries).toHaveLength(0);
          return;
        }
        expect(retries.length).toBeGreaterThan(0);
        const first = retries[0];
        if (expected.retryAfterSeconds !== undefined && first?.type === "task.retrying") {
          expect(first.error.retryAt, "the provider's Retry-After was not read").toBeDefined();
          expect(first.retryAt).toBe(first.error.retryAt);
          const wait = Date.parse(first.retryAt) - Date.now();
          expect(Math.abs(wait - expected.retryAfterSeconds * 1000)).toBeLessThan(5_000);
        }
      });
    });
  });
}
