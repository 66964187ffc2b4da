import { parseArgs } from "node:util";
import { STANDARD_FAULT_NAMES, type StandardFault } from "@autoflow/core";
import { CLI_PROVIDERS } from "./cli-providers";

/** A command line the command refuses: the message says what is wrong and how to write it. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** What to run, per provider, in the order given by `--providers`. */
export interface CliPlan {
  providers: ProviderPlan[];
  /** Where to write the `export` lines once the emulators listen; removed when they stop. */
  envFile?: string;
}

export interface ProviderPlan {
  id: string;
  /** A fixed port; a free one when absent. */
  port?: number;
  seeds: string[];
  faults: StandardFault[];
}

/** The command's arguments, or `"help"`; throws `CliUsageError` on anything it does not understand. */
export function parseCliArgs(args: readonly string[]): CliPlan | "help" {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(args).values;
  } catch (error) {
    // parseArgs's own message names the option ("Unknown option '--prot'"); keep it.
    throw new CliUsageError((error as Error).message);
  }
  if (values.help) return "help";

  const known = Object.keys(CLI_PROVIDERS);
  const ids = values.providers === undefined ? known : splitList(values.providers);
  if (ids.length === 0) throw new CliUsageError("--providers needs at least one provider");
  for (const id of ids) {
    if (!CLI_PROVIDERS[id])
      throw new CliUsageError(`--providers: unknown provider "${id}" (known: ${known.join(", ")})`);
  }
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) throw new CliUsageError(`--providers names "${duplicate}" twice`);

  const plans = new Map<string, ProviderPlan>(ids.map((id) => [id, { id, seeds: [], faults: [] }]));
  for (const [id, value] of perProvider("--port", values.port, plans)) {
    const plan = plans.get(id) as ProviderPlan;
    if (plan.port !== undefined) throw new CliUsageError(`--port gives ${id} two ports`);
    plan.port = portNumber(id, value);
  }
  for (const [id, value] of perProvider("--seed", values.seed, plans)) {
    const problem = CLI_PROVIDERS[id]?.checkSeed(value);
    if (problem) throw new CliUsageError(`--seed ${id}: ${problem}`);
    plans.get(id)?.seeds.push(value);
  }
  for (const [id, value] of perProvider("--fault", values.fault, plans)) {
    if (!(STANDARD_FAULT_NAMES as readonly string[]).includes(value)) {
      throw new CliUsageError(
        `--fault ${id}: unknown fault "${value}" (known: ${STANDARD_FAULT_NAMES.join(", ")})`,
      );
    }
    plans.get(id)?.faults.push(value as StandardFault);
  }
  const ports = [...plans.values()].map((p) => p.port).filter((p) => p !== undefined && p !== 0);
  const shared = ports.find((port, index) => ports.indexOf(port) !== index);
  if (shared !== undefined) throw new CliUsageError(`--port ${shared} is given to two providers`);

  if (values["env-out"] === "") throw new CliUsageError("--env-out needs a path");
  return {
    providers: [...plans.values()],
    ...(values["env-out"] !== undefined && { envFile: values["env-out"] }),
  };
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      providers: { type: "string" },
      port: { type: "string", multiple: true },
      seed: { type: "string", multiple: true },
      fault: { type: "string", multiple: true },
      "env-out": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function splitList(list: string): string[] {
  return list
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `<provider>=<value>` pairs (`<provider>:<value>` also reads), each naming a provider being run. */
function* perProvider(
  flag: string,
  entries: string[] | undefined,
  plans: ReadonlyMap<string, ProviderPlan>,
): Generator<[string, string]> {
  for (const entry of entries ?? []) {
    const match = /^([a-z0-9-]+)[=:](.+)$/.exec(entry);
    if (!match)
      throw new CliUsageError(
        `${flag} "${entry}": write <provider>=<value>, e.g. ${flag} ${Object.keys(CLI_PROVIDERS)[0]}=...`,
      );
    const [, id = "", value = ""] = match;
    if (!plans.has(id)) {
      throw new CliUsageError(
        `${flag} "${entry}": ${id} is not among the providers being run (${[...plans.keys()].join(", ")})`,
      );
    }
    yield [id, value.trim()];
  }
}

function portNumber(id: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new CliUsageError(`--port ${id}: "${value}" is not a port (0-65535; 0 picks a free one)`);
  }
  return port;
}
