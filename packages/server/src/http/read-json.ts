import { DEFAULT_MAX_JSON_DEPTH, parseJsonWithinDepth } from "@autoflow/core";
import type { z } from "zod";
import { describeZodError } from "./schemas";

/** How request bodies are read: the nesting bound (default 64; deeper input is a 400, never a stack overflow). */
export interface JsonBodyOptions {
  maxDepth?: number;
}

type JsonBody<T> = { ok: true; value: T } | { ok: false; message: string };

/** JSON text from a client: the value, or the 400 message (not JSON, or nested too deeply). */
function parseJsonText(text: string, options: JsonBodyOptions): JsonBody<unknown> {
  const parsed = parseJsonWithinDepth(text, options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH);
  return parsed.ok ? parsed : { ok: false, message: `body: ${parsed.message}` };
}

/** The body as JSON, or a message naming what is wrong with it (empty, not JSON, too deep) for a 400. */
async function readJson(request: Request, options: JsonBodyOptions): Promise<JsonBody<unknown>> {
  const text = await request.text();
  if (text.trim() === "") return { ok: false, message: "body: expected a JSON object, got an empty body" };
  return parseJsonText(text, options);
}

/** An optional JSON body: `undefined` when empty, else as `readJson` (a run's trigger payload). */
export async function readOptionalJson(
  request: Request,
  options: JsonBodyOptions = {},
): Promise<JsonBody<unknown>> {
  const text = await request.text();
  return text.trim() === "" ? { ok: true, value: undefined } : parseJsonText(text, options);
}

/** Reads and validates a JSON body: the data, or the 400 message naming the field. */
export async function parseBody<T>(
  request: Request,
  schema: z.ZodType<T>,
  options: JsonBodyOptions = {},
): Promise<{ ok: true; data: T } | { ok: false; message: string }> {
  const body = await readJson(request, options);
  if (!body.ok) return body;
  const parsed = schema.safeParse(body.value);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, message: describeZodError(parsed.error) };
}
