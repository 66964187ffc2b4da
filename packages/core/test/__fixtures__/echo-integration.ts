import {
  type ConnectionAuth,
  type IntegrationTaskKey,
  type IO,
  type IOTask,
  type RunTaskErrorCallback,
  type RunTaskOptions,
  retry,
  type TaskOutput,
  type TriggerIntegration,
  toIntegrationError,
} from "../../src/index";

/** A tiny fetch-based "SDK" for a loopback echo server, standing in for an official SDK in core's own tests. */
export class EchoClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
    readonly timeoutMs = 10_000,
  ) {}

  async send(
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<{ path: string; body: unknown; auth: string }> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: signal ?? AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new EchoHttpError(response.status, response.headers, text);
    return JSON.parse(text);
  }
}

export class EchoHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: string,
  ) {
    super(`echo responded ${status}: ${body}`);
  }
}

export type EchoOptions = { id: string; token?: string; baseUrl: string; timeoutMs?: number };

/** Built like a provider package (spec 000/001), so the contract kit can be tested against it. */
export class Echo implements TriggerIntegration {
  static clones = 0;
  private readonly options: EchoOptions;
  private client?: EchoClient;
  private io?: IO;
  private connectionKey?: string;

  constructor(options: EchoOptions) {
    if (Object.keys(options).includes("token") && !options.token) {
      throw new Error(`Can't create Echo integration (${options.id}) as token was undefined`);
    }
    this.options = options;
  }

  get id() {
    return this.options.id;
  }

  get metadata() {
    return { name: "Echo", id: "echo" };
  }

  get authSource() {
    return this.options.token ? ("LOCAL" as const) : ("HOSTED" as const);
  }

  cloneForRun(io: IO, connectionKey: string, auth?: ConnectionAuth): Echo {
    Echo.clones += 1;
    const echo = new Echo(this.options);
    echo.io = io;
    echo.connectionKey = connectionKey;
    const token = this.options.token ?? auth?.accessToken;
    if (!token) throw new Error("No auth");
    echo.client = new EchoClient(this.options.baseUrl, token, this.options.timeoutMs);
    return echo;
  }

  secretValues(): readonly string[] {
    return this.options.token ? [this.options.token] : [];
  }

  runTask<T>(
    key: IntegrationTaskKey,
    callback: (client: EchoClient, task: IOTask, io: IO) => Promise<T>,
    options?: RunTaskOptions,
    onError?: RunTaskErrorCallback,
  ): Promise<TaskOutput<T>> {
    if (!this.io) throw new Error("No IO");
    if (!this.connectionKey) throw new Error("No connection key");
    const client = this.client;
    return this.io.runTask(
      key,
      async (task: IOTask, io: IO) => {
        if (!client) throw new Error("No client");
        try {
          return await callback(client, task, io);
        } catch (error) {
          throw toIntegrationError(error, "echo");
        }
      },
      { icon: "echo", retry: retry.standardBackoff, ...options, connectionKey: this.connectionKey },
      onError,
    ) as Promise<TaskOutput<T>>;
  }

  /** `io.echo.messages.send(key, params)`: namespaced like an official SDK. */
  get messages() {
    return {
      send: (key: IntegrationTaskKey, params: { text: string; secret?: string }) =>
        this.runTask(key, (client) => client.send("/messages", params), {
          name: "Send Message",
          params,
          properties: [{ label: "Text", text: params.text }],
        }),
    };
  }
}
