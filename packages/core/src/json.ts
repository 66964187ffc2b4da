import type { Jsonify } from "type-fest";

export type JsonPrimitive = string | number | boolean | null;
export type JsonArray = Json[];
export type JsonObject = { [key: string]: Json | undefined };
/** A value that survives `JSON.stringify` and `JSON.parse` unchanged. */
export type Json = JsonPrimitive | JsonArray | JsonObject;

/**
 * What a task's callback result becomes once it is written to the task log: task outputs are JSON
 * round-tripped on the first run too, so a `Date` field reads back as a `string` every time.
 */
export type TaskOutput<T> = [T] extends [void]
  ? undefined
  : [T] extends [undefined]
    ? undefined
    : // Already JSON (e.g. a job returning task outputs): Jsonify again would collapse it to `{}`.
      [T] extends [Json]
      ? T
      : Jsonify<T>;

/** JSON round-trip, so first runs and replays return the same shape. `undefined` stays `undefined`. */
export function toJson<T>(value: T): TaskOutput<T> {
  if (value === undefined) return undefined as TaskOutput<T>;
  const text = JSON.stringify(value);
  return (text === undefined ? undefined : JSON.parse(text)) as TaskOutput<T>;
}
