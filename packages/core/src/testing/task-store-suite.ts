import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunRecord, TaskRecord, TaskStore } from "../runtime/task-store";

const T0 = Date.parse("2025-01-15T12:00:00.000Z");

// Canonical `toISOString()` form, the only timestamp shape the runtime writes.
function at(offsetMs: number): string {
  return new Date(T0 + offsetMs).toISOString();
}

function minimalRun(id: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return { id, jobId: "job-1", status: "running", createdAt: at(0), updatedAt: at(0), ...overrides };
}

function minimalTask(
  runId: string,
  id: string,
  sequence: number,
  overrides: Partial<TaskRecord> = {},
): TaskRecord {
  return {
    runId,
    id,
    key: id,
    idempotencyKey: `${runId}:${id}`,
    name: "test.task",
    status: "completed",
    attempts: 1,
    startedAt: at(sequence),
    sequence,
    ...overrides,
  };
}

const fullRun: RunRecord = {
  id: "run-full",
  jobId: "job-full",
  status: "suspended",
  payload: { user: { id: 42, email: "ada@example.com" }, tags: ["a", "b"], nothing: null },
  output: [1, "two", { three: 3 }],
  error: {
    name: "IntegrationError",
    type: "rate-limit",
    provider: "acme",
    message: "ratelimited",
    status: 429,
    retryAt: at(60_000),
    code: "ratelimited",
    retryable: true,
  },
  resumeAt: at(60_000),
  resumedAt: at(500),
  createdAt: at(0),
  updatedAt: at(1_000),
};

const fullTask: TaskRecord = {
  runId: "run-json",
  id: "parent/child",
  parentId: "parent",
  key: "child",
  idempotencyKey: "run-json:parent/child",
  name: "acme.messages.send",
  icon: "acme",
  status: "failed",
  params: {
    text: "héllo wörld 👋 こんにちは مرحبا",
    "key with spaces and ünïcødé": true,
    blocks: [{ type: "section", fields: [{ nested: { deeper: [1, [2, [3]]] } }] }],
    empty: { list: [], object: {} },
    nothing: null,
  },
  output: {
    integers: [0, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER],
    floats: [0.1, -2.5, 1e-7, 1.7976931348623157e308, 0.1 + 0.2],
    quote: 'she said "hi"\n\ttab \\ backslash',
  },
  error: {
    name: "IntegrationError",
    type: "upstream",
    provider: "acme",
    message: "internal_error",
    status: 500,
    retryable: true,
  },
  properties: [
    { label: "Channel", text: "#général" },
    { label: "Message", text: "open", url: "https://example.com/m/1?a=b&c=d" },
  ],
  attempts: 3,
  retryAt: at(5_000),
  attemptErrors: [
    {
      attempt: 1,
      error: {
        name: "IntegrationError",
        type: "rate-limit",
        provider: "acme",
        message: "ratelimited «slow down» 🐢",
        status: 429,
        retryAt: at(2_000),
        retryable: true,
      },
      retryAt: at(2_000),
      at: at(1_000),
    },
    {
      attempt: 3,
      error: {
        name: "IntegrationError",
        type: "upstream",
        provider: "acme",
        message: "internal_error",
        status: 500,
        retryable: true,
      },
      at: at(9_000),
    },
  ],
  startedAt: at(100),
  completedAt: at(9_000),
  sequence: 7,
};

/**
 * The contract every `TaskStore` must meet, as a vitest suite. Call it from a test file with a factory that
 * returns a fresh, empty store; each test closes the store it was given.
 */
export function describeTaskStore(name: string, createStore: () => Promise<TaskStore> | TaskStore): void {
  describe(`TaskStore contract: ${name}`, () => {
    let store: TaskStore;

    beforeEach(async () => {
      store = await createStore();
    });

    afterEach(async () => {
      await store.close();
    });

    it("returns undefined for an unknown run", async () => {
      expect(await store.loadRun("no-such-run")).toBeUndefined();
    });

    it("round-trips a run with every optional field", async () => {
      await store.saveRun(fullRun);
      expect(await store.loadRun(fullRun.id)).toStrictEqual({ run: fullRun, tasks: [] });
    });

    it("round-trips a run with no optional fields, adding no undefined keys", async () => {
      const run = minimalRun("run-min");
      await store.saveRun(run);
      const loaded = await store.loadRun(run.id);
      expect(loaded).toStrictEqual({ run, tasks: [] });
      expect(Object.keys(loaded?.run ?? {}).sort()).toEqual(Object.keys(run).sort());
    });

    it("keeps JSON null apart from an absent value", async () => {
      const run = minimalRun("run-null", { payload: null, output: null });
      await store.saveRun(run);
      expect((await store.loadRun(run.id))?.run).toStrictEqual(run);
    });

    it("replaces a run on save, dropping fields the new record leaves out", async () => {
      await store.saveRun(fullRun);
      const replaced = minimalRun(fullRun.id, { status: "completed", output: "done", updatedAt: at(2_000) });
      await store.saveRun(replaced);
      expect((await store.loadRun(fullRun.id))?.run).toStrictEqual(replaced);
    });

    it("returns tasks ordered by sequence, whatever the insert order", async () => {
      await store.saveRun(minimalRun("run-order"));
      for (const sequence of [3, 0, 4, 1, 2]) {
        await store.saveTask(minimalTask("run-order", `task-${sequence}`, sequence));
      }
      const loaded = await store.loadRun("run-order");
      expect(loaded?.tasks.map((task) => task.sequence)).toEqual([0, 1, 2, 3, 4]);
      expect(loaded?.tasks.map((task) => task.id)).toEqual([
        "task-0",
        "task-1",
        "task-2",
        "task-3",
        "task-4",
      ]);
    });

    it("returns only the tasks of the requested run", async () => {
      await store.saveRun(minimalRun("run-a"));
      await store.saveRun(minimalRun("run-b"));
      await store.saveTask(minimalTask("run-a", "shared-id", 0));
      await store.saveTask(minimalTask("run-b", "shared-id", 0, { name: "other.task" }));
      await store.saveTask(minimalTask("run-b", "only-b", 1));
      const a = await store.loadRun("run-a");
      expect(a?.tasks).toStrictEqual([minimalTask("run-a", "shared-id", 0)]);
      const b = await store.loadRun("run-b");
      expect(b?.tasks.map((task) => [task.runId, task.id, task.name])).toEqual([
        ["run-b", "shared-id", "other.task"],
        ["run-b", "only-b", "test.task"],
      ]);
    });

    it("round-trips params, output, error and properties JSON", async () => {
      await store.saveRun(minimalRun(fullTask.runId));
      await store.saveTask(fullTask);
      expect((await store.loadRun(fullTask.runId))?.tasks).toStrictEqual([fullTask]);
    });

    it("keeps what an unknown outcome needs: the attempt's start, the reconciled mark, the error's reason", async () => {
      const runId = "run-unknown-outcome";
      await store.saveRun(minimalRun(runId));
      const running = minimalTask(runId, "post", 0, { status: "running", attemptStartedAt: at(2_000) });
      await store.saveTask(running);
      expect((await store.loadRun(runId))?.tasks).toStrictEqual([running]);

      const reconciled: TaskRecord = {
        ...running,
        status: "completed",
        output: { ts: "1.000" },
        reconciled: true,
        completedAt: at(3_000),
      };
      await store.saveTask(reconciled);
      expect((await store.loadRun(runId))?.tasks).toStrictEqual([reconciled]);

      const failed: TaskRecord = {
        ...running,
        status: "failed",
        attempts: 2,
        attemptStartedAt: at(4_000),
        completedAt: at(5_000),
        error: {
          name: "IntegrationError",
          type: "network",
          provider: "acme",
          message: "may have happened",
          code: "UND_ERR_SOCKET",
          reason: "outcome_unknown",
          retryable: false,
        },
      };
      await store.saveTask(failed);
      // Saving a record without the reconciled mark clears it.
      expect((await store.loadRun(runId))?.tasks).toStrictEqual([failed]);
    });

    it("round-trips a task with no optional fields, adding no undefined keys", async () => {
      const task = minimalTask("run-min-task", "only", 0);
      await store.saveRun(minimalRun(task.runId));
      await store.saveTask(task);
      const [loaded] = (await store.loadRun(task.runId))?.tasks ?? [];
      expect(loaded).toStrictEqual(task);
      expect(Object.keys(loaded ?? {}).sort()).toEqual(Object.keys(task).sort());
    });

    it("updates a task from running to waiting to completed", async () => {
      const runId = "run-lifecycle";
      await store.saveRun(minimalRun(runId));
      const running = minimalTask(runId, "call", 0, { status: "running", attempts: 1, params: { n: 1 } });
      await store.saveTask(running);
      expect((await store.loadRun(runId))?.tasks).toStrictEqual([running]);

      const waiting: TaskRecord = {
        ...running,
        status: "waiting",
        retryAt: at(30_000),
        error: {
          name: "IntegrationError",
          type: "network",
          provider: "acme",
          message: "ECONNRESET",
          code: "ECONNRESET",
          retryable: true,
        },
      };
      await store.saveTask(waiting);
      expect((await store.loadRun(runId))?.tasks).toStrictEqual([waiting]);

      const { retryAt: _retryAt, error: _error, ...rest } = waiting;
      const completed: TaskRecord = {
        ...rest,
        status: "completed",
        attempts: 2,
        output: { ok: true },
        completedAt: at(31_000),
      };
      await store.saveTask(completed);
      expect((await store.loadRun(runId))?.tasks).toStrictEqual([completed]);
    });

    describe("listDueRuns", () => {
      const now = new Date(T0);

      beforeEach(async () => {
        const runs = [
          minimalRun("future", { status: "suspended", resumeAt: at(1) }),
          minimalRun("due-now", { status: "suspended", resumeAt: at(0) }),
          minimalRun("due-earliest", { status: "suspended", resumeAt: at(-120_000) }),
          minimalRun("due-earlier", { status: "suspended", resumeAt: at(-60_000) }),
          minimalRun("running-past", { status: "running", resumeAt: at(-300_000) }),
          minimalRun("completed-past", { status: "completed", resumeAt: at(-300_000) }),
          minimalRun("failed-past", { status: "failed", resumeAt: at(-300_000) }),
          minimalRun("suspended-no-time", { status: "suspended" }),
        ];
        for (const run of runs) await store.saveRun(run);
      });

      it("returns only suspended runs due at or before now, soonest first", async () => {
        const due = await store.listDueRuns(now);
        expect(due.map((run) => run.id)).toEqual(["due-earliest", "due-earlier", "due-now"]);
        expect(due[0]).toStrictEqual(
          minimalRun("due-earliest", { status: "suspended", resumeAt: at(-120_000) }),
        );
      });

      it("honours limit", async () => {
        expect((await store.listDueRuns(now, 2)).map((run) => run.id)).toEqual([
          "due-earliest",
          "due-earlier",
        ]);
        expect(await store.listDueRuns(now, 0)).toEqual([]);
        expect((await store.listDueRuns(now, 10)).map((run) => run.id)).toHaveLength(3);
      });

      it("returns nothing before the first run is due", async () => {
        expect(await store.listDueRuns(new Date(T0 - 200_000))).toEqual([]);
      });
    });

    it("keeps a task's attempt history and when a run resumed; absent stays absent, and a save replaces them", async () => {
      const runId = "run-attempt-history";
      const run = minimalRun(runId, { resumedAt: at(20_000), updatedAt: at(20_000) });
      await store.saveRun(run);
      expect((await store.loadRun(runId))?.run).toStrictEqual(run);

      const first = minimalTask(runId, "call", 0, { status: "running" });
      await store.saveTask(first);
      expect((await store.loadRun(runId))?.tasks[0]).not.toHaveProperty("attemptErrors");

      const rateLimited = {
        name: "IntegrationError",
        type: "rate-limit" as const,
        provider: "acme",
        message: "slow down",
        retryAt: at(10_000),
        retryable: true,
      };
      const waiting: TaskRecord = {
        ...first,
        status: "waiting",
        retryAt: at(10_000),
        error: rateLimited,
        attemptErrors: [{ attempt: 1, error: rateLimited, retryAt: at(10_000), at: at(1_000) }],
      };
      await store.saveTask(waiting);
      expect((await store.loadRun(runId))?.tasks).toStrictEqual([waiting]);

      const { retryAt: _retryAt, error: _error, ...rest } = waiting;
      const completed: TaskRecord = { ...rest, status: "completed", attempts: 2, completedAt: at(11_000) };
      await store.saveTask(completed);
      expect((await store.loadRun(runId))?.tasks).toStrictEqual([completed]);

      // Unlike cancelRequestedAt, both are replaced like any field: every save of the runner carries them.
      const { resumedAt: _resumedAt, ...fresh } = run;
      await store.saveRun({ ...fresh, updatedAt: at(30_000) });
      expect((await store.loadRun(runId))?.run).not.toHaveProperty("resumedAt");
      const { attemptErrors: _attemptErrors, ...cleared } = completed;
      await store.saveTask(cleared);
      expect((await store.loadRun(runId))?.tasks).toStrictEqual([cleared]);
    });

    it("round-trips the task a failed run failed at", async () => {
      const run = minimalRun("run-failed-at", {
        status: "failed",
        error: { ...fullTask.error!, message: "boom" },
        failedTask: { id: "parent/child", key: "child", name: "Post Message", provider: "acme" },
      });
      await store.saveRun(run);
      expect((await store.loadRun(run.id))?.run).toStrictEqual(run);
    });

    describe("listRuns", () => {
      const failedAt = { id: "post", key: "post", name: "Post Message", provider: "acme" };

      beforeEach(async () => {
        const runs = [
          minimalRun("a-old", { createdAt: at(0), updatedAt: at(50), status: "completed", output: 1 }),
          minimalRun("b-failed", {
            jobId: "job-2",
            createdAt: at(100),
            updatedAt: at(180),
            status: "failed",
            error: { ...fullTask.error!, type: "schema", retryable: false },
            failedTask: failedAt,
          }),
          // Same start as b-failed: the id breaks the tie, so pages never skip or repeat a run.
          minimalRun("c-same-time", { createdAt: at(100), updatedAt: at(100), status: "running" }),
          minimalRun("d-suspended", {
            createdAt: at(200),
            updatedAt: at(210),
            status: "suspended",
            resumeAt: at(60_000),
          }),
          minimalRun("e-new", { jobId: "job-2", createdAt: at(300), updatedAt: at(300) }),
        ];
        for (const run of runs) await store.saveRun(run);
        for (const [i, id] of ["one", "two", "three"].entries()) {
          await store.saveTask(minimalTask("b-failed", id, i));
        }
        await store.saveTask(minimalTask("b-failed", "one/nested", 3, { parentId: "one" }));
        await store.saveTask(minimalTask("a-old", "only", 0));
      });

      it("lists newest first, ties by id, with summaries", async () => {
        const runs = await store.listRuns({ limit: 10 });
        expect(runs.map((run) => run.id)).toEqual([
          "e-new",
          "d-suspended",
          "c-same-time",
          "b-failed",
          "a-old",
        ]);
        expect(runs[3]).toStrictEqual({
          id: "b-failed",
          jobId: "job-2",
          status: "failed",
          startedAt: at(100),
          finishedAt: at(180),
          updatedAt: at(180),
          taskCount: 4,
          failedTask: failedAt,
          errorType: "schema",
        });
        expect(runs[1]).toStrictEqual({
          id: "d-suspended",
          jobId: "job-1",
          status: "suspended",
          startedAt: at(200),
          updatedAt: at(210),
          resumeAt: at(60_000),
          taskCount: 0,
        });
        expect(runs[4]).toMatchObject({ id: "a-old", finishedAt: at(50), taskCount: 1 });
        expect(runs[4]).not.toHaveProperty("errorType");
      });

      it("filters by job and by status", async () => {
        expect((await store.listRuns({ jobId: "job-2", limit: 10 })).map((run) => run.id)).toEqual([
          "e-new",
          "b-failed",
        ]);
        expect((await store.listRuns({ status: "running", limit: 10 })).map((run) => run.id)).toEqual([
          "e-new",
          "c-same-time",
        ]);
        expect(
          (await store.listRuns({ jobId: "job-1", status: "running", limit: 10 })).map((run) => run.id),
        ).toEqual(["c-same-time"]);
        expect(await store.listRuns({ jobId: "no-such-job", limit: 10 })).toEqual([]);
      });

      it("pages with limit and before, and lists nothing after an unknown run", async () => {
        const first = await store.listRuns({ limit: 2 });
        expect(first.map((run) => run.id)).toEqual(["e-new", "d-suspended"]);
        const second = await store.listRuns({ limit: 2, before: first.at(-1)?.id });
        expect(second.map((run) => run.id)).toEqual(["c-same-time", "b-failed"]);
        const third = await store.listRuns({ limit: 2, before: second.at(-1)?.id });
        expect(third.map((run) => run.id)).toEqual(["a-old"]);
        expect(await store.listRuns({ limit: 2, before: "a-old" })).toEqual([]);
        expect(
          (await store.listRuns({ jobId: "job-2", limit: 5, before: "c-same-time" })).map((r) => r.id),
        ).toEqual(["b-failed"]);
        expect(await store.listRuns({ limit: 5, before: "no-such-run" })).toEqual([]);
        expect(await store.listRuns({ limit: 0 })).toEqual([]);
      });

      it("refuses a limit that is not an integer from 0 to 1000", async () => {
        for (const limit of [-1, 1.5, 1001, Number.NaN]) {
          await expect(store.listRuns({ limit })).rejects.toThrow(RangeError);
        }
      });
    });

    describe("requestCancel", () => {
      it("records the request on a running run, and a later saveRun without it keeps it", async () => {
        await store.saveRun(minimalRun("run-cancel-running", { status: "running" }));
        expect(await store.isCancelRequested("run-cancel-running")).toBe(false);
        const requested = await store.requestCancel("run-cancel-running", at(5));
        expect(requested).toMatchObject({ status: "running", cancelRequestedAt: at(5) });
        expect(await store.isCancelRequested("run-cancel-running")).toBe(true);
        // The worker executing it saves its progress, knowing nothing of the request: the request stays.
        await store.saveRun(minimalRun("run-cancel-running", { status: "running", updatedAt: at(6) }));
        expect((await store.loadRun("run-cancel-running"))?.run.cancelRequestedAt).toBe(at(5));
        // A second request keeps the first time.
        expect((await store.requestCancel("run-cancel-running", at(9)))?.cancelRequestedAt).toBe(at(5));
      });

      it("cancels a suspended run at once: it is no longer due", async () => {
        await store.saveRun(minimalRun("run-cancel-suspended", { status: "suspended", resumeAt: at(10) }));
        const cancelled = await store.requestCancel("run-cancel-suspended", at(5));
        expect(cancelled).toMatchObject({ status: "cancelled", updatedAt: at(5), cancelRequestedAt: at(5) });
        expect(cancelled?.resumeAt).toBeUndefined();
        expect(await store.listDueRuns(new Date(T0 + 60_000))).toEqual([]);
        const [summary] = await store.listRuns({ limit: 10, status: "cancelled" });
        expect(summary).toMatchObject({ id: "run-cancel-suspended", status: "cancelled", finishedAt: at(5) });
      });

      it("leaves a finished run as it is, and knows no unknown run", async () => {
        await store.saveRun(minimalRun("run-cancel-done", { status: "completed" }));
        const done = await store.requestCancel("run-cancel-done", at(5));
        expect(done?.status).toBe("completed");
        expect(done?.cancelRequestedAt).toBeUndefined();
        expect(await store.isCancelRequested("run-cancel-done")).toBe(false);
        expect(await store.requestCancel("run-nope", at(5))).toBeUndefined();
        expect(await store.isCancelRequested("run-nope")).toBe(false);
      });
    });

    it("saves and loads 1,000 tasks in order", async () => {
      const runId = "run-large";
      await store.saveRun(minimalRun(runId));
      const tasks = Array.from({ length: 1_000 }, (_, i) =>
        minimalTask(runId, `step-${i}`, i, { params: { i, label: `step ${i}` }, output: { square: i * i } }),
      );
      for (const task of tasks) await store.saveTask(task);
      const loaded = await store.loadRun(runId);
      expect(loaded?.tasks).toHaveLength(1_000);
      expect(loaded?.tasks).toStrictEqual(tasks);
    });

    it("does not let callers mutate stored records", async () => {
      const run = structuredClone(fullRun);
      const task = structuredClone(fullTask);
      await store.saveRun(run);
      await store.saveTask({ ...task, runId: run.id });

      // Mutating what was saved...
      run.status = "failed";
      (run.payload as { user: { id: number } }).user.id = -1;
      task.name = "mutated";
      task.properties?.push({ label: "Injected", text: "x" });

      // ...and what was loaded...
      const first = await store.loadRun(run.id);
      if (first === undefined) throw new Error("run was not stored");
      first.run.jobId = "mutated";
      (first.run.output as unknown[]).push("mutated");
      first.tasks[0]!.attempts = 99;
      (first.tasks[0]!.params as { blocks: unknown[] }).blocks.length = 0;
      first.tasks.push(minimalTask(run.id, "phantom", 99));

      const [due] = await store.listDueRuns(new Date(T0 + 3_600_000));
      if (due === undefined) throw new Error("suspended run was not listed as due");
      due.status = "completed";

      // ...leaves the stored copies as they were saved.
      expect(await store.loadRun(run.id)).toStrictEqual({
        run: fullRun,
        tasks: [{ ...fullTask, runId: run.id }],
      });
    });
    describe("resource mappings", () => {
      const key = { scope: "acme:connection:c1:tickets", externalId: "ZD-1042" };
      const at = (ms: number) => new Date(T0 + ms);
      const mappingsOf = (s: TaskStore) => {
        if (!s.mappings) throw new Error(`${name} keeps no resource mappings`);
        return s.mappings;
      };

      it("claims for one claimant at a time, and tells a claimant that comes back its claim is not fresh", async () => {
        const mappings = mappingsOf(store);
        expect(await mappings.claimMapping(key, "task-a", at(0), 60_000)).toEqual({
          status: "claimed",
          fresh: true,
        });
        expect(await mappings.claimMapping(key, "task-b", at(1_000), 60_000)).toEqual({
          status: "held",
          claimant: "task-a",
          leaseUntil: at(60_000).toISOString(),
        });
        // The same task resumed after a crash: it may have created the resource already.
        expect(await mappings.claimMapping(key, "task-a", at(2_000), 60_000)).toEqual({
          status: "claimed",
          fresh: false,
        });
        // Another scope or record is another mapping.
        expect(
          await mappings.claimMapping({ ...key, externalId: "ZD-1043" }, "task-b", at(0), 60_000),
        ).toEqual({
          status: "claimed",
          fresh: true,
        });
      });

      it("lets another claimant take over a lapsed lease, not fresh (the first may have created it)", async () => {
        const mappings = mappingsOf(store);
        await mappings.claimMapping(key, "task-a", at(0), 60_000);
        expect(await mappings.claimMapping(key, "task-b", at(61_000), 60_000)).toEqual({
          status: "claimed",
          fresh: false,
        });
        expect(await mappings.claimMapping(key, "task-a", at(62_000), 60_000)).toMatchObject({
          status: "held",
          claimant: "task-b",
        });
      });

      it("records the first resource and answers it to every later claim and record", async () => {
        const mappings = mappingsOf(store);
        await mappings.claimMapping(key, "task-a", at(0), 60_000);
        expect(await mappings.recordMapping(key, "OPS-7", at(1_000))).toBe("OPS-7");
        expect(await mappings.claimMapping(key, "task-b", at(2_000), 60_000)).toEqual({
          status: "mapped",
          resourceId: "OPS-7",
        });
        // A late second create's id never replaces the first.
        expect(await mappings.recordMapping(key, "OPS-8", at(3_000))).toBe("OPS-7");
        expect(await mappings.findMapping(key)).toBe("OPS-7");
        expect(await mappings.findMapping({ ...key, externalId: "unknown" })).toBeUndefined();
      });

      it("frees a claim only for its claimant, and never a recorded mapping", async () => {
        const mappings = mappingsOf(store);
        await mappings.claimMapping(key, "task-a", at(0), 60_000);
        await mappings.releaseMapping(key, "task-b");
        expect(await mappings.claimMapping(key, "task-b", at(1_000), 60_000)).toMatchObject({
          status: "held",
        });
        await mappings.releaseMapping(key, "task-a");
        expect(await mappings.claimMapping(key, "task-b", at(2_000), 60_000)).toEqual({
          status: "claimed",
          fresh: true,
        });
        await mappings.recordMapping(key, "OPS-9", at(3_000));
        await mappings.releaseMapping(key, "task-b");
        expect(await mappings.findMapping(key)).toBe("OPS-9");
      });

      it("gives one claim when many claim at once", async () => {
        const mappings = mappingsOf(store);
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) => mappings.claimMapping(key, `task-${i}`, at(0), 60_000)),
        );
        expect(answers.filter((answer) => answer.status === "claimed")).toEqual([
          { status: "claimed", fresh: true },
        ]);
        expect(answers.filter((answer) => answer.status === "held")).toHaveLength(7);
      });
    });
  });
}
