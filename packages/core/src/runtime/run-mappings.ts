import type { IO } from "../io";
import type { ResourceMappingStore } from "./resource-mappings";

// A registered symbol, so a second installed copy of core finds the same method on the run's IO.
export const RUN_MAPPINGS = Symbol.for("autoflow.io.resourceMappings");

/** The run's resource mappings (its task store's) and its clock, as a provider task reaches them. */
export interface RunMappings {
  /** `undefined` when the run's task store keeps no mappings (a custom store). */
  store: ResourceMappingStore | undefined;
  now(): Date;
}

/** The mappings of the run `io` belongs to; `undefined` for an IO that is not the runtime's. */
export function runMappingsOf(io: IO): RunMappings | undefined {
  const read = (io as unknown as Record<symbol, unknown>)[RUN_MAPPINGS];
  return typeof read === "function" ? (read.call(io) as RunMappings) : undefined;
}
