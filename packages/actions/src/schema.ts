import type { z } from "zod";

/**
 * A zod 4 schema as actions and triggers take it (`z.object(...)`, refined or not): zod's core schema type with the
 * `parse` and `safeParse` every schema has. Not `z.ZodType`: relating a schema to that class type compares its
 * sixty-odd chainable methods one by one, which costs `tsc` about half a second in every package defining an action.
 */
export interface Schema<O = unknown, I = unknown> extends z.core.$ZodType<O, I> {
  parse(data: unknown): O;
  safeParse(data: unknown): z.ZodSafeParseResult<O>;
}
