import type { z } from "zod";
import { describeZodError } from "./schemas";

/** The body as JSON, or a message naming what is wrong with it (empty, not JSON) for a 400. */
async function readJson(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const text = await request.text();
  if (text.trim() === "") return { ok: false, message: "body: expected a JSON object, got an empty body" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, message: "body: is not valid JSON" };
  }
}

/** Reads and validates a JSON body: the data, or the 400 message naming the field. */
export async function parseBody<T>(
  request: Request,
  schema: z.ZodType<T>,
): Promise<{ ok: true; data: T } | { ok: false; message: string }> {
  const body = await readJson(request);
  if (!body.ok) return body;
  const parsed = schema.safeParse(body.value);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, message: describeZodError(parsed.error) };
}
