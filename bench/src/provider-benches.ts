/**
 * @module
 * The benches of the listed providers (`PROVIDERS` of `@autoflow/providers`, by id), in list order: what
 * every section iterates over. A listed provider whose package has no `bench/index.ts` yet has no rows
 * (`main.ts` says so).
 */
import { PROVIDER_IDS } from "@autoflow/server";
import { loadProviderBench } from "./load-provider-bench";
import type { AnyProviderBench, ListedProviderBench } from "./provider-bench";

/** Every listed provider that has a bench, in list order. */
export async function listedProviderBenches(): Promise<ListedProviderBench[]> {
  const listed: ListedProviderBench[] = [];
  for (const id of PROVIDER_IDS) {
    const bench = await loadProviderBench(id);
    if (bench) listed.push({ id, bench });
  }
  return listed;
}

/** The listed providers whose package has no bench. */
export async function providersWithoutBench(): Promise<string[]> {
  const found = new Set((await listedProviderBenches()).map((listed) => listed.id));
  return PROVIDER_IDS.filter((id) => !found.has(id));
}

type Role = "typeCheck" | "webhookLoad" | "workflowStep" | "memoryProbe";

/**
 * The first listed provider whose bench supplies `role`: the representative of a section measured on one
 * provider.
 */
export async function firstProviderWith<R extends Role>(
  role: R,
): Promise<(ListedProviderBench & { role: NonNullable<AnyProviderBench[R]> }) | undefined> {
  for (const listed of await listedProviderBenches()) {
    const supplied = listed.bench[role];
    if (supplied) return { ...listed, role: supplied };
  }
  return undefined;
}
