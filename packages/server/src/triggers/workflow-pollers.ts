import type { Clock, CursorStore, Json, PollingTrigger, TriggerStateStore } from "@autoflow/core";
import type { Logger } from "../logger";
import type { WorkflowRecord } from "../stores/workflow-store";
import type { WorkflowService } from "../workflow-service";
import { recordPollOutcome } from "./poll-outcome";

/** How many pages one poll of one trigger reads before leaving the rest to its next poll. */
const MAX_PAGES_PER_POLL = 100;

/** Options for `createWorkflowPollers`. */
export interface WorkflowPollersOptions {
  workflows: Pick<WorkflowService, "listTriggers" | "startFromPoll">;
  cursors: CursorStore;
  states: TriggerStateStore;
  clock: Pick<Clock, "now">;
  /** Overrides every polling trigger's own `intervalMs`. */
  pollIntervalMs?: number;
  /** How often to look for triggers that are due. Default 5 s; 0 never (only `poll()` polls: a test's clock). */
  tickMs?: number;
  log?: Logger;
  /** Credentials to keep out of the errors recorded for trigger health. */
  secrets?: readonly string[];
}

/** The stored workflows' polling triggers, polled on their intervals. */
export interface WorkflowPollers {
  /**
   * Polls every stored workflow's polling trigger that is due (`all`: every one, due or not) and resolves how many
   * runs it started. Passes never overlap: a call during one waits for it, then runs its own. Failures are recorded
   * for trigger health and logged, never thrown.
   */
  poll(options?: { all?: boolean }): Promise<number>;
  /** A pass in the background soon (a workflow changed); nothing when `tickMs` is 0. */
  wake(): void;
  close(): Promise<void>;
}

/**
 * Polls the stored workflows' polling triggers with the connection each trigger's scope was checked with. Workflows
 * whose triggers share an identity (provider, connection, key, inputs) share its cursor and poll once, each starting
 * its own run per item; the cursor is kept under that identity, never the workflow, so a workflow saved again (a
 * redeploy) or a restarted service resumes where the last poll ended. Each page's runs are stored before its cursor
 * is saved, and a run's id is fixed per (identity, item, workflow): a crash in between starts nothing twice.
 */
export function createWorkflowPollers(options: WorkflowPollersOptions): WorkflowPollers {
  const { log } = options;
  const now = () => options.clock.now();
  /** When each trigger identity is due next (epoch ms); one first seen is due at once. */
  const due = new Map<string, number>();
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;

  const pollOne = async (
    trigger: PollingTrigger<unknown>,
    workflows: readonly WorkflowRecord[],
  ): Promise<number> => {
    let started = 0;
    for (let pages = 0; pages < MAX_PAGES_PER_POLL; pages++) {
      const { items, cursor, more } = await trigger.poll(await options.cursors.getCursor(trigger.id));
      for (const item of items) {
        for (const workflow of workflows) {
          await options.workflows.startFromPoll(workflow, trigger, item);
          started++;
        }
      }
      await options.cursors.setCursor(trigger.id, cursor as Json);
      if (!more) break;
    }
    return started;
  };

  const pass = async (all: boolean): Promise<number> => {
    const groups = new Map<string, { trigger: PollingTrigger<unknown>; workflows: WorkflowRecord[] }>();
    for (const { workflow, trigger } of await options.workflows.listTriggers()) {
      if (trigger.kind !== "polling") continue;
      const group = groups.get(trigger.id) ?? { trigger, workflows: [] };
      group.workflows.push(workflow);
      groups.set(trigger.id, group);
    }
    let started = 0;
    for (const [id, { trigger, workflows }] of groups) {
      const at = now();
      if (closed || (!all && (due.get(id) ?? 0) > at)) continue;
      due.set(id, at + (options.pollIntervalMs ?? trigger.intervalMs));
      const owners = workflows.map((w) => w.id).join(", ");
      try {
        const count = await pollOne(trigger, workflows);
        started += count;
        await record(id, { started: count });
      } catch (error) {
        log?.warn(`Polling ${trigger.key ?? id} for workflow ${owners} failed: ${describe(error)}`);
        await record(id, { error });
      }
    }
    return started;
  };

  const record = (id: string, outcome: { started: number } | { error: unknown }) =>
    recordPollOutcome(options.states, id, outcome, new Date(now()).toISOString(), options.secrets).catch(
      (error: unknown) => log?.warn(`Recording a poll of ${id} failed: ${describe(error)}`),
    );

  const poll = (pollOptions: { all?: boolean } = {}): Promise<number> => {
    const run = chain.then(() =>
      pass(pollOptions.all === true).catch((error: unknown) => {
        log?.error(`Polling the workflows' triggers failed: ${describe(error)}`);
        return 0;
      }),
    );
    chain = run;
    return run;
  };

  const tickMs = options.tickMs ?? 5_000;
  const timer = tickMs > 0 ? setInterval(() => void poll(), tickMs) : undefined;
  // The HTTP server keeps the process alive; this timer must not keep a stopped one alive.
  timer?.unref();

  return {
    poll,
    wake() {
      if (tickMs > 0 && !closed) void poll();
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await chain;
    },
  };
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
