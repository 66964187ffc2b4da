import type { DisplayProperty } from "../display";
import type { IntegrationTaskKey } from "../integration";
import type { IO, IOTask } from "../io";
import type { TaskOutput } from "../json";
import { assertPageLimit, collectPages, type PageWalk } from "./collect-pages";
import type { ProviderIdempotency, ProviderRunTask, ProviderTaskRun } from "./provider-task-options";

/**
 * How a hand-written task shows in the dashboard and the task log, and how a repeat of it is made safe
 * (`idempotency`, see `ProviderIdempotency`: every write declares `native`, `reconcile` or `idempotent`, or
 * fails visibly when its outcome is unknown; reads declare `idempotent`).
 */
export type TaskDisplay<TClient = unknown, T = unknown> = {
  /** e.g. "Post Message". */
  name: string;
  /** The task's input, recorded (secrets scrubbed) in the task log. */
  params?: unknown;
  properties?: DisplayProperty[];
} & ProviderIdempotency<TClient, T>;

/**
 * The base of every task class (spec 001: one class per SDK namespace, `src/tasks/<namespace>.ts`,
 * constructed with the provider's `runTask`). A hand-written task is its name, its SDK call, its display
 * properties and its doc line:
 *
 * ```ts
 * create(key: IntegrationTaskKey, params: IssuesCreateParams) {
 *   return this.task(key, async (client) => (await client.rest.issues.create(params)).data, {
 *     name: "Create Issue", params, properties: [...],
 *   });
 * }
 * ```
 */
export abstract class TaskNamespace<TClient> {
  protected readonly runTask: ProviderRunTask<TClient>;
  private readonly children = new Map<Function, unknown>();

  constructor(runTask: ProviderRunTask<TClient>) {
    this.runTask = runTask;
  }

  /** Runs one SDK call as a durable task with its display data; resolves to the answer as the task log keeps it. */
  protected task<T>(
    key: IntegrationTaskKey,
    call: (client: TClient, task: IOTask, io: IO, run: ProviderTaskRun) => Promise<T>,
    display: TaskDisplay<TClient, T>,
  ): Promise<TaskOutput<T>> {
    const { name, params, properties, ...idempotency } = display;
    return this.runTask(key, (client, task, io, run) => call(client, task, io, run), {
      name,
      properties: properties ?? [],
      ...(params !== undefined && { params }),
      ...idempotency,
    });
  }

  /**
   * The kit's one way to walk pages: a bounded task that follows the SDK's own auto-pagination until
   * `limit` items (the SDK's `autoPagingToArray({ limit })`, Octokit's `paginate`), one task for the walk.
   * A walk only reads: it is `idempotent`.
   */
  protected pages<TItem>(
    key: IntegrationTaskKey,
    walk: PageWalk<TClient, TItem>,
    display: Pick<TaskDisplay, "name" | "params" | "properties">,
  ): Promise<TaskOutput<TItem[]>> {
    assertPageLimit(walk.limit);
    return this.task(key, (client) => collectPages(walk, client), {
      ...display,
      properties: [...(display.properties ?? []), { label: "Limit", text: String(walk.limit) }],
      idempotency: "idempotent",
    });
  }

  /** A child task class (`checkout.sessions`, `users.messages`), built once per parent. */
  protected child<C>(Namespace: new (runTask: ProviderRunTask<TClient>) => C): C {
    let child = this.children.get(Namespace) as C | undefined;
    if (!child) {
      child = new Namespace(this.runTask);
      this.children.set(Namespace, child);
    }
    return child;
  }
}
