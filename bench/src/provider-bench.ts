/**
 * @module
 * What a provider gives the bench. Each provider's package holds `bench/index.ts` (beside its sources, never
 * published), exporting `bench`: one `ProviderBench`, written
 * `satisfies ProviderBench<Integrations, Emulator>`. The sections iterate over the listed providers' benches
 * (`provider-benches.ts`) and name no provider: a row of the report that is about a provider comes from its
 * bench. A section that needs one provider (the webhook intake, the scale-out workflow, the worker-memory
 * probe) takes the first listed one that supplies its role.
 */
import type { Step } from "@autoflow/actions";
import type { JobIntegrations, JobIO, ProviderEmulator, TaskIdempotency } from "@autoflow/core";
import type { EmulatorClock, EmulatorServer, FaultMatch } from "@autoflow/emulators";

/**
 * A provider's emulator as the bench drives it: the kit's emulator, plus its request log, faults and rate
 * limit.
 */
export interface BenchEmulator extends ProviderEmulator {
  readonly server: EmulatorServer;
  /** Refuses beyond `perWindow` requests per window, answered the way the provider refuses. */
  rateLimit(perWindow: number, windowMs: number): void;
}

/**
 * Where a started emulator answers (its `apiUrl`) and a token it accepts: strings, so a worker process can be
 * handed them.
 */
export interface EmulatorAccess {
  apiUrl: string;
  token: string;
}

/**
 * Section 1: the same call on the bare SDK client (configured as the provider's class configures it) and as a
 * task.
 */
export interface OverheadCall<I extends JobIntegrations> {
  /** The SDK method, as the report names it (`chat.postMessage`). */
  call: string;
  /** A bare client's call number `i`; the client is built once. */
  sdk(access: EmulatorAccess, timeoutMs: number): (i: number) => Promise<unknown>;
  /** The same call as the provider's task, call number `i` of a run (its task key must differ per `i`). */
  task(io: JobIO<I>, i: number): Promise<unknown>;
}

/**
 * Section 2: calls against an emulator that refuses beyond its limit, through the SDK's own retry and through
 * ours.
 */
export interface RateLimitScenario<I extends JobIntegrations, E extends BenchEmulator> {
  call: string;
  /** The answers that are refusals, counted in the emulator's request log. */
  refusedWith: readonly number[];
  /** How the report describes the refusal (`Acme 429`). */
  refusal: string;
  /**
   * The SDK with its default retry logic, as an application would use it bare. It gets the emulator too, for an
   * SDK that cannot be pointed at `access` as it is (one whose OAuth mode calls its vendor's fixed gateway URL).
   */
  sdk: { label: string; client(access: EmulatorAccess, emulator: E): (i: number) => Promise<unknown> };
  /** The provider's task in a job: the runtime's retry and rate-limit bucket. */
  runtime: { label: string; task(io: JobIO<I>, i: number): Promise<unknown> };
  /** A paragraph for the report when the provider's figures need one (why this call, what its SDK does). */
  note?: string;
}

/**
 * Section 3: the provider package against the bare SDK it wraps, both resolved from the provider's package.
 */
export interface ColdStartPair {
  package: string;
  sdk: string;
}

/**
 * Section 3b: a consumer's file through the provider package, and the same with the bare SDK
 * (`coldStart.sdk`).
 */
export interface TypeCheckSample {
  ours: string;
  bare: string;
  /** What both files do, for the report: "posts a message: ...". */
  description: string;
}

type Setup = Record<string, string>;

/** Section 8 (a): one write task whose answer the emulator loses after handling it. */
export interface LostAnswerCase<I extends JobIntegrations, E extends BenchEmulator> {
  task: string;
  /** How the task makes a repeat safe; `none` is the control, which must fail visibly rather than repeat. */
  idempotency: TaskIdempotency;
  /** The request that loses its answer. */
  match(setup: Setup): FaultMatch;
  /** What trial number `trial` needs in the emulator (a parent message, a branch), and the names it uses. */
  prepare(emulator: E, trial: number): Promise<Setup> | Setup;
  call(io: JobIO<I>, setup: Setup): Promise<unknown>;
  /** How many times the side effect happened (1 is right). */
  count(emulator: E, setup: Setup): number;
}

/**
 * Section 8 (b): the provider's steps of the run whose worker is killed; every listed provider's, in list
 * order.
 */
export interface CrashRunPart<I extends JobIntegrations, E extends BenchEmulator> {
  /** One entry per step: its task (`issues.create`) and its side effect for the report (`Acme invoice`). */
  steps: readonly { task: string; effect: string }[];
  /** The steps, in order, for the run marked `mark`. */
  run(io: JobIO<I>, mark: string): Promise<unknown>;
  /** How many times each step's side effect happened for the run marked `mark`, in step order. */
  count(emulator: E, mark: string): number[];
}

/** Section 5: signed deliveries as the provider sends them, to `POST /api/webhooks/<provider>`. */
export interface WebhookLoad {
  /** What is sent, for the report: "signed `...` deliveries (~1 KB, ...)". */
  description: string;
  /**
   * `count` deliveries, each signed with `secret` (up front, so the load process spends nothing on
   * signatures).
   */
  signed(count: number, secret: string): { body: string; headers: Record<string, string> }[];
}

/** Section 6: the one-step workflow the scale-out bench queues, calling the provider's emulator. */
export interface WorkflowStepTarget {
  /** How the report names the step. */
  label: string;
  /** The step; its `credentialId` is the connection the bench makes with a minted token. */
  step: Step;
}

/** Section 7: a read-only call that leaves no state behind, as a one-task job and on the bare SDK. */
export interface MemoryProbe<I extends JobIntegrations> {
  /** How the report names the task (`` `io.acme.auth.test` ``). */
  label: string;
  task(io: JobIO<I>): Promise<unknown>;
  /** The same call on the bare SDK, one client for every call. */
  rawCall(access: EmulatorAccess, timeoutMs: number): () => Promise<unknown>;
}

/**
 * Everything the sections ask of one provider. `I` is its job's integrations (`{ acme: Acme }`), `E` its
 * emulator.
 */
export interface ProviderBench<I extends JobIntegrations, E extends BenchEmulator> {
  /** How the report names the provider (`Acme`). */
  name: string;
  /** A new emulator, not started; `clock` times its windows where a test drives time. */
  emulator(options?: { clock?: EmulatorClock }): E;
  /** The provider's integration as a job declares it (`{ acme: new Acme(...) }`), pointed at an emulator. */
  integrations(access: EmulatorAccess, timeoutMs: number): I;
  overhead: OverheadCall<I>;
  rateLimit: RateLimitScenario<I, E>;
  coldStart: ColdStartPair;
  effectivelyOnce: { lostAnswers: readonly LostAnswerCase<I, E>[]; crashRun: CrashRunPart<I, E> };
  typeCheck?: TypeCheckSample;
  webhookLoad?: WebhookLoad;
  workflowStep?: WorkflowStepTarget;
  memoryProbe?: MemoryProbe<I>;
}

/**
 * A provider's bench with its types erased, as the sections hold a list of them. Safe because a section only
 * hands a bench's functions the io of the integrations that bench built, and the emulator that bench made.
 */
export type AnyProviderBench = ProviderBench<JobIntegrations, BenchEmulator>;

/**
 * A listed provider's bench and its id (`acme`: `packages/acme/`, `/api/webhooks/acme`, `AUTOFLOW_ACME_*`).
 */
export interface ListedProviderBench {
  id: string;
  bench: AnyProviderBench;
}
