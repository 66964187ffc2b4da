import type { DisplayProperty } from "../display";
import type {
  ConnectionAuth,
  IntegrationAuthSource,
  IntegrationMetadata,
  IntegrationTaskKey,
  TriggerIntegration,
} from "../integration";
import type { IO, IOTask, RunTaskErrorCallback } from "../io";
import type { TaskOutput } from "../json";
import { excerpt, propertiesOf } from "./display-properties";
import type {
  ConnectionFields,
  ProviderDefinition,
  ProviderOptions,
  SdkResultShape,
} from "./provider-definition";
import type { ProviderRun } from "./provider-run";
import type { ProviderRunTask, ProviderTaskOptions, ProviderTaskRun } from "./provider-task-options";
import { assertTokenDefined, runProviderTask } from "./run-provider-task";
import { type PassthroughContext, sdkNamespaceNames, sdkPassthrough } from "./sdk-passthrough";
import type { PassthroughNamespaces, ProviderTaskGetters } from "./sdk-tasks";
import { registerSecretShapes } from "./secret-shapes";

const installed = new WeakSet<object>();

/**
 * The base of every provider class (`Acme`, ...): the spec-000 contract (`id`, `metadata`,
 * `authSource`, `cloneForRun`), spec 001's `runTask` over the kit's `runProviderTask`, and a getter per SDK
 * namespace: the definition's hand-written task classes and the typed passthrough, cached per clone. A
 * provider class is its definition and its triggers. Extend it through `providerIntegration<typeof D>()`,
 * which types those getters.
 */
export abstract class ProviderIntegration<TClient, TOptions extends ProviderOptions>
  implements TriggerIntegration
{
  readonly definition: ProviderDefinition<TClient, TOptions>;
  protected readonly options: TOptions;
  private providerRun: ProviderRun | undefined;
  private readonly namespaces = new Map<string, unknown>();
  private passthroughContext: PassthroughContext<TClient> | undefined;

  constructor(definition: ProviderDefinition<TClient, TOptions>, options: TOptions) {
    assertTokenDefined(options, definition.name);
    this.definition = definition;
    this.options = options;
    registerSecretShapes(definition.id, definition.secrets);
    installNamespaces(new.target.prototype, definition as ProviderDefinition<TClient, ProviderOptions>);
  }

  get id(): string {
    return this.options.id;
  }

  get metadata(): IntegrationMetadata {
    return { name: this.definition.name, id: this.definition.id };
  }

  /** `LOCAL` with a token of its own, `HOSTED` when the run's connection supplies auth. */
  get authSource(): IntegrationAuthSource {
    return this.options.token ? "LOCAL" : "HOSTED";
  }

  /**
   * A new instance bound to the run's `io`, connection key and auth. No client is built here: each
   * attempt takes the process's cached client for its token.
   */
  cloneForRun(io: IO, connectionKey: string, auth?: ConnectionAuth): this {
    const { token } = this.options;
    if (!token && !auth?.accessToken) {
      throw new Error(
        `Can't run ${this.definition.name} integration (${this.options.id}): no token and no connection auth`,
      );
    }
    const clone = new (this.constructor as new (options: TOptions) => this)(this.options);
    clone.providerRun = token ? { io, connectionKey, token } : { io, connectionKey, ...(auth && { auth }) };
    return clone;
  }

  /** The token, so the runtime scrubs it from everything it logs. */
  secretValues(): readonly string[] {
    const token = this.providerRun?.token ?? this.providerRun?.auth?.accessToken;
    return token ? [token] : [];
  }

  /**
   * Runs any SDK call as a durable task (spec 001): logged once under `key`, replayed from the log,
   * retried with the provider's backoff and at the time the provider named. SDK errors reach `onError`
   * already translated (`IntegrationError`, the SDK's error as `cause`).
   */
  runTask<T>(
    key: IntegrationTaskKey,
    callback: (client: TClient, task: IOTask, io: IO, run: ProviderTaskRun) => Promise<T>,
    options?: ProviderTaskOptions<TClient, T>,
    onError?: RunTaskErrorCallback,
  ): Promise<TaskOutput<T>> {
    const where = this.paramProperties(options?.params);
    const display =
      where.length > 0 && options
        ? { ...options, properties: [...where, ...(options.properties ?? [])] }
        : options;
    return runProviderTask(
      { definition: this.definition, options: this.options, run: this.providerRun },
      key,
      callback,
      display,
      onError,
    );
  }

  /**
   * Display properties every task of this provider shows first, hand-written or passthrough, read from its
   * params (override to show where a call acted: a repository and issue, linked). Default none.
   */
  protected paramProperties(_params: unknown): DisplayProperty[] {
    return [];
  }

  /**
   * Display properties of a passthrough call only: a bare id, or the definition's `passthroughProperties`
   * read from its params (override for what a label -> param table cannot say).
   */
  protected passthroughProperties(params: unknown, _method: string): DisplayProperty[] {
    return typeof params === "string"
      ? [{ label: "ID", text: excerpt(params) }]
      : propertiesOf(params, this.definition.passthroughProperties ?? {});
  }

  /**
   * An SDK namespace as tasks, built once per clone: the definition's hand-written task class for it with the
   * rest of the namespace passing through, or the whole namespace passing through.
   */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: called by the getters `installNamespaces` defines.
  private namespace(name: string): unknown {
    let found = this.namespaces.get(name);
    if (!found) {
      const TaskClass = this.definition.tasks?.[name];
      found = TaskClass
        ? sdkPassthrough(
            this.passthrough(),
            [name],
            new TaskClass(this.runTask.bind(this) as ProviderRunTask<TClient>),
          )
        : sdkPassthrough(this.passthrough(), [name]);
      this.namespaces.set(name, found);
    }
    return found;
  }

  private passthrough(): PassthroughContext<TClient> {
    this.passthroughContext ??= {
      runTask: this.runTask.bind(this) as ProviderRunTask<TClient>,
      sdk: this.definition.sdk,
      properties: (params, method) => this.passthroughProperties(params, method),
    };
    return this.passthroughContext;
  }
}

/**
 * Gives a provider class a getter for every SDK namespace, once per class, on its prototype: the definition's
 * hand-written task classes, then every other namespace of the SDK's own method tree read on the first instance
 * (never listed by hand). A getter the class writes itself wins.
 */
function installNamespaces<TClient>(
  prototype: object,
  definition: ProviderDefinition<TClient, ProviderOptions>,
): void {
  if (installed.has(prototype)) return;
  installed.add(prototype);
  const names = new Set([...Object.keys(definition.tasks ?? {}), ...sdkNamespaceNames(definition.sdk)]);
  for (const name of names) {
    if (name in prototype) continue;
    Object.defineProperty(prototype, name, {
      configurable: true,
      get(this: { namespace(name: string): unknown }) {
        return this.namespace(name);
      },
    });
  }
}

/**
 * The constructor `providerIntegration` returns, typed from the provider definition `D` (declared with
 * `satisfies ProviderDefinition<...>`, so its own types stay): a `ProviderIntegration` whose instances have a getter
 * per hand-written task class in `D["tasks"]` (with the rest of that namespace passing through) and every other
 * namespace of the SDK's tree (`D["sdk"]["root"]`'s answer) as passthrough tasks, answering as `D["sdk"]["result"]`
 * says.
 */
export type ProviderIntegrationClass<D> = D extends {
  createClient(
    token: string,
    options: infer TOptions extends ProviderOptions,
    fields: ConnectionFields,
  ): infer TClient;
  sdk: { root(client: never): infer TTree; result: infer S extends SdkResultShape };
}
  ? abstract new (
      definition: ProviderDefinition<TClient, TOptions>,
      options: TOptions,
    ) => ProviderIntegration<TClient, TOptions> &
      ProviderTaskGetters<TasksOf<D>, TTree, S> &
      PassthroughNamespaces<TTree, S, keyof TasksOf<D> & string>
  : never;

type TasksOf<D> = D extends { tasks: infer T } ? T : {};

/**
 * The base class of a provider, typed from its definition: `export const AcmeIntegration:
 * ProviderIntegrationClass<typeof ACME_DEFINITION> = providerIntegration<typeof ACME_DEFINITION>();`, then
 * `class Acme extends AcmeIntegration {...}` (or its trigger methods' class in between). Write the type argument
 * out: inferred from the declared type, `D` costs `tsc` the variance of the whole method tree.
 */
export function providerIntegration<D>(): ProviderIntegrationClass<D> {
  return ProviderIntegration as unknown as ProviderIntegrationClass<D>;
}
