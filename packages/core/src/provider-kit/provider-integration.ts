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
import type {
  ProviderDefinition,
  ProviderOptions,
  SdkMethodTree,
  SdkResultShape,
} from "./provider-definition";
import type { ProviderRun } from "./provider-run";
import type { ProviderRunTask, ProviderTaskOptions } from "./provider-task-options";
import { assertTokenDefined, runProviderTask } from "./run-provider-task";
import { type PassthroughContext, sdkNamespaceNames, sdkPassthrough } from "./sdk-passthrough";
import type { PassthroughNamespaces, SdkNamespaceName, SdkTasks, WithPassthrough } from "./sdk-tasks";
import { registerSecretShapes } from "./secret-shapes";

const installed = new WeakSet<object>();

/**
 * The base of every provider class (`Acme`, ...): the spec-000 contract (`id`, `metadata`,
 * `authSource`, `cloneForRun`), spec 001's `runTask` over the kit's `runProviderTask`, task classes and
 * the typed passthrough cached per clone. A provider class is its definition, a getter per hand-written
 * task class, and its triggers. Extend it through `providerIntegration<...>()`, which also types the
 * SDK's other namespaces as passthrough tasks.
 */
export abstract class ProviderIntegration<
  TClient,
  TOptions extends ProviderOptions,
  TTree = unknown,
  S extends SdkResultShape = "response",
> implements TriggerIntegration
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
    installPassthroughNamespaces(new.target.prototype, definition.sdk);
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
    callback: (client: TClient, task: IOTask, io: IO) => Promise<T>,
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

  /** Display properties of a passthrough call only (override to show a channel, a repository, ...). */
  protected passthroughProperties(_params: unknown, _method: string): DisplayProperty[] {
    return [];
  }

  /** A hand-written task class with the rest of its SDK namespace passing through; built once per clone. */
  protected tasks<K extends SdkNamespaceName<TTree>, C extends object>(
    name: K,
    Namespace: new (runTask: ProviderRunTask<TClient>) => C,
  ): WithPassthrough<C, TTree[K], S> {
    let found = this.namespaces.get(name);
    if (!found) {
      found = sdkPassthrough(
        this.passthrough(),
        [name],
        new Namespace(this.runTask.bind(this) as ProviderRunTask<TClient>),
      );
      this.namespaces.set(name, found);
    }
    return found as WithPassthrough<C, TTree[K], S>;
  }

  /** An SDK namespace without hand-written tasks: every method passes through; built once per clone. */
  protected sdkNamespace<K extends SdkNamespaceName<TTree>>(name: K): SdkTasks<TTree[K], S> {
    let found = this.namespaces.get(name);
    if (!found) {
      found = sdkPassthrough(this.passthrough(), [name]);
      this.namespaces.set(name, found);
    }
    return found as SdkTasks<TTree[K], S>;
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
 * Gives a provider class a getter for every SDK namespace it has no hand-written getter for, once per
 * class, on its prototype: read from the SDK's own method tree on the first instance, never listed by hand.
 */
function installPassthroughNamespaces<TClient>(prototype: object, sdk: SdkMethodTree<TClient>): void {
  if (installed.has(prototype)) return;
  installed.add(prototype);
  for (const name of sdkNamespaceNames(sdk)) {
    if (name in prototype) continue;
    Object.defineProperty(prototype, name, {
      configurable: true,
      get(this: { sdkNamespace(name: string): unknown }) {
        return this.sdkNamespace(name);
      },
    });
  }
}

/** The constructor `providerIntegration` returns: a `ProviderIntegration` whose instances also have every passthrough namespace. */
export type ProviderIntegrationClass<
  TClient,
  TOptions extends ProviderOptions,
  TTree,
  S extends SdkResultShape,
  HandWritten extends string,
> = abstract new (
  definition: ProviderDefinition<TClient, TOptions>,
  options: TOptions,
) => ProviderIntegration<TClient, TOptions, TTree, S> & PassthroughNamespaces<TTree, S, HandWritten>;

/**
 * The base class of a provider, typed from its SDK's tree: `class Acme extends providerIntegration<AcmeClient,
 * AcmeOptions, AcmeClient, "response", "widgets" | "checkout">() {...}`. Instances have a getter per
 * hand-written task class (the names in `HandWritten`) and every other namespace as passthrough tasks.
 */
export function providerIntegration<
  TClient,
  TOptions extends ProviderOptions,
  TTree,
  S extends SdkResultShape,
  HandWritten extends string = never,
>(): ProviderIntegrationClass<TClient, TOptions, TTree, S, HandWritten> {
  return ProviderIntegration as unknown as ProviderIntegrationClass<TClient, TOptions, TTree, S, HandWritten>;
}
