import type { TriggerIntegration } from "../integration";
import type { IO } from "../io";
import type { Trigger } from "../triggers/trigger";
import type { UnknownOutcomeOptions } from "./idempotency";

/** The integrations a job declares, by the name it reaches them under (`io.acme`). */
export type JobIntegrations = Record<string, TriggerIntegration>;

/** Names `io` already uses; an integration cannot take them. */
export const RESERVED_IO_NAMES = ["runId", "logger", "runTask", "try", "wait"] as const;

/** `io` inside a job: the runtime's IO plus one run-bound clone per declared integration. */
export type JobIO<TIntegrations extends JobIntegrations> = IO & {
  readonly [K in keyof TIntegrations]: TIntegrations[K];
};

/** What a job's `run` is told about the run it is in. */
export interface RunContext {
  runId: string;
  jobId: string;
  /** True when this execution found tasks already in the log (a resume or replay). */
  isReplay: boolean;
}

export interface JobDefinition<TIntegrations extends JobIntegrations, TPayload, TOutput> {
  /** Stable id; a run can only be resumed by the job with the id that started it. */
  id: string;
  name?: string;
  version?: string;
  integrations?: TIntegrations;
  /**
   * What the job's tasks do when a call's outcome is unknown and the task declares no safe repeat:
   * `{ onUnknownOutcome: "retry" }` repeats it anyway (at-least-once); the default fails the task.
   */
  retry?: UnknownOutcomeOptions;
  /** What starts runs: a provider's webhook or polling trigger. The payload type comes from it. */
  trigger?: Trigger<TPayload>;
  run(payload: TPayload, io: JobIO<TIntegrations>, ctx: RunContext): Promise<TOutput>;
}

export type Job<
  TIntegrations extends JobIntegrations = JobIntegrations,
  TPayload = unknown,
  TOutput = unknown,
> = Readonly<JobDefinition<TIntegrations, TPayload, TOutput>>;

/** Declares a job: its id, the integrations it uses and the code that runs. */
export function defineJob<TIntegrations extends JobIntegrations = {}, TPayload = unknown, TOutput = unknown>(
  definition: JobDefinition<TIntegrations, TPayload, TOutput>,
): Job<TIntegrations, TPayload, TOutput> {
  if (!definition.id) throw new TypeError("defineJob: `id` is required");
  for (const name of Object.keys(definition.integrations ?? {})) {
    if ((RESERVED_IO_NAMES as readonly string[]).includes(name)) {
      throw new TypeError(
        `defineJob(${definition.id}): an integration cannot be named "${name}", io uses it`,
      );
    }
  }
  return Object.freeze({ ...definition });
}
