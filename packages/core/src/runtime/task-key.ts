import type { IntegrationTaskKey } from "../integration";
import { nodeCrypto } from "../node-crypto";

/** Strings stay as they are; arrays and objects become JSON with sorted object keys, so equal keys serialize equally. */
export function serializeTaskKey(key: IntegrationTaskKey): string {
  if (typeof key === "string") return key;
  return JSON.stringify(sortKeys(key));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** A nested task's id is its parent's id and its own key; `/` and `%` are escaped so ids never collide. */
export function taskIdFor(parentId: string | undefined, key: string): string {
  const segment = key.replaceAll("%", "%25").replaceAll("/", "%2F");
  return parentId === undefined ? segment : `${parentId}/${segment}`;
}

/** Stable across attempts and replays of the same run, distinct across runs. */
export function idempotencyKeyFor(runId: string, taskId: string): string {
  return nodeCrypto().createHash("sha256").update(runId).update("\n").update(taskId).digest("hex");
}
