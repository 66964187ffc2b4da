/**
 * @module
 * Loads one provider's bench (`packages/<id>/bench/index.ts`) by its id. Kept apart from the provider list
 * (`provider-benches.ts`) so a worker process that measures one provider loads nothing else.
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AnyProviderBench } from "./provider-bench";

/**
 * The provider's package directory (`packages/<id>/`), where its bench file is and its packages resolve from.
 */
export function providerDir(id: string): string {
  return fileURLToPath(new URL(`../../packages/${id}/`, import.meta.url));
}

/** The provider's bench file, whether or not it exists. */
export function providerBenchFile(id: string): string {
  return `${providerDir(id)}bench/index.ts`;
}

/** The provider's bench, or undefined when its package has no `bench/index.ts`. */
export async function loadProviderBench(id: string): Promise<AnyProviderBench | undefined> {
  const file = providerBenchFile(id);
  if (!existsSync(file)) return undefined;
  const module = (await import(pathToFileURL(file).href)) as { bench?: AnyProviderBench };
  if (!module.bench) throw new Error(`${file} exports no \`bench\``);
  return module.bench;
}
