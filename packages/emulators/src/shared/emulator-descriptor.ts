import type { ProviderEmulator } from "@autoflow/core";
import type { ServiceHarness } from "./service-harness";
import type { WebhookSignatureScheme } from "./webhook-signature";

/** One emulator as the `autoflow-emulators` command drives it: the shared surface, plus the seed data its flags add. */
export interface CliEmulator {
  readonly emulator: ProviderEmulator;
  /** Adds one `--seed` value to the emulator's state (after `start`); resolves to what was added, for the summary. */
  seed(value: string): string;
  /**
   * More credentials the summary prints after the token, labelled, for providers whose token is not the whole
   * credential (an API token with its account's email and the site it is for). Called after `start`.
   */
  credentials?(): readonly (readonly [label: string, value: string])[];
}

/** How the command runs one provider's emulator. */
export interface EmulatorCli {
  /** What `--seed <provider>=<value>` adds, for `--help`. */
  readonly seedHelp: string;
  /** A `--seed` value for the usage's example line; providers without one are left out of it. */
  readonly seedExample?: string;
  /** Why `value` is not a valid seed, or undefined when it is: checked before anything starts. */
  checkSeed(value: string): string | undefined;
  create(options: { port?: number }): CliEmulator;
}

/** One method of the provider's official SDK and the operation it calls, keyed as the description's operations are. */
export interface SdkOperation {
  /** The SDK's name for it (`namespace.method`). */
  method: string;
  /** `METHOD /path`, or `/path` alone where the description is matched by path (`byPathOnly`). */
  operation: string;
}

/**
 * The provider's official SDK, for `OPERATIONS.md` (which lists the SDK methods the committed description does
 * not cover). Dev-only: the SDK is a devDependency the script imports by `package`, never at run time.
 */
export interface EmulatorSdk {
  readonly package: string;
  /** Operations are matched by path alone (every HTTP method reaches the same operation). */
  readonly byPathOnly: boolean;
  /** Every SDK method, read from the imported SDK module. */
  methods(sdk: Record<string, unknown>): SdkOperation[];
}

/**
 * Everything the emulators' shared parts (the command, the service harnesses, the scripts) need to know about
 * one provider's emulator. Each provider's folder exports one; `emulator-list.ts` lists them.
 */
export interface EmulatorDescriptor {
  /** The provider id: `--providers <id>`, `specs/<id>/`, the service's `AUTOFLOW_<ID>_*` variables. */
  readonly id: string;
  /** The prefix of the variables `env()` writes by default (`AUTOFLOW_<ID>_`): `<prefix>API_URL`, `_WEB_URL`, ... */
  readonly envPrefix: string;
  readonly cli: EmulatorCli;
  /** The emulator as the connection service's HTTP contract tests drive it. */
  serviceHarness(): ServiceHarness;
  /** How the emulator signs the webhooks it sends, when it sends any. */
  readonly webhookSignature?: WebhookSignatureScheme;
  readonly sdk?: EmulatorSdk;
  /** What code samples written for the real service need to run as written against this emulator. */
  readonly samples?: EmulatorSamples;
}

/**
 * The READMEs' samples call the real service (a provider class given only a token reaches the provider's host): the repository's
 * README-block runner routes `realApiUrl` to the emulator's `apiUrl`, hands the samples a token in
 * `<ID>_TOKEN`, and adds the seeds the samples name.
 */
export interface EmulatorSamples {
  /** The real API's base URL as the SDK builds request URLs from it (a prefix of each). */
  readonly realApiUrl: string;
  /** `--seed` values the samples rely on, added after start. */
  readonly seeds?: readonly string[];
}
