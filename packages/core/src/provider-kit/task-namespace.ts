import type { DisplayProperty } from "../display";
import type { IntegrationTaskKey } from "../integration";
import type { IOTask } from "../io";
import type { TaskOutput } from "../json";
import { assertPageLimit, collectPages, type PageWalk } from "./collect-pages";
import type { ProviderRunTask, ProviderTaskOptions } from "./provider-task-options";

/** How a hand-written task shows in the dashboard and the task log. */
export interface TaskDisplay {
  /** e.g. "Post Message". */
  name: string;
  /** The task's input, recorded (secrets scrubbed) in the task log. */
  params?: unknown;
  properties?: DisplayProperty[];
  /** Send the task's idempotency key with the request (the provider's native idempotency). */
  sendIdempotencyKey?: boolean;
}

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
    call: (client: TClient, task: IOTask) => Promise<T>,
    display: TaskDisplay,
  ): Promise<TaskOutput<T>> {
    const options: ProviderTaskOptions = {
      name: display.name,
      properties: display.properties ?? [],
      ...(display.params !== undefined && { params: display.params }),
      ...(display.sendIdempotencyKey && { sendIdempotencyKey: true }),
    };
    return this.runTask(key, (client, task) => call(client, task), options);
  }

  /**
   * The kit's one way to walk pages: a bounded task that follows the SDK's own auto-pagination until
   * `limit` items (the SDK's `autoPagingToArray({ limit })`, Octokit's `paginate`), one task for the walk.
   */
  protected pages<TItem>(
    key: IntegrationTaskKey,
    walk: PageWalk<TClient, TItem>,
    display: TaskDisplay,
  ): Promise<TaskOutput<TItem[]>> {
    assertPageLimit(walk.limit);
    return this.task(key, (client) => collectPages(walk, client), {
      ...display,
      properties: [...(display.properties ?? []), { label: "Limit", text: String(walk.limit) }],
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
