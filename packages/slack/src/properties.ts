import type { DisplayProperty } from "@autoflow/core";

const EXCERPT_LENGTH = 80;

/** The first 80 characters of a message text, on one line. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH - 1)}…` : flat;
}

/**
 * Display properties from `params`: `fields` maps a label to a param name. Absent values are
 * skipped; `Text` is cut to an excerpt. Params are read loosely because many SDK argument types are unions.
 */
export function propertiesOf(params: unknown, fields: Readonly<Record<string, string>>): DisplayProperty[] {
  if (typeof params !== "object" || params === null) return [];
  const values = params as Record<string, unknown>;
  return Object.entries(fields).flatMap(([label, name]) => {
    const value = values[name];
    if (typeof value === "number") return [{ label, text: String(value) }];
    if (typeof value !== "string" || value === "") return [];
    return [{ label, text: label === "Text" ? excerpt(value) : value }];
  });
}

/** What any Web API call's params show: channel, user, message timestamp, name and text. */
export function commonProperties(params: unknown): DisplayProperty[] {
  return propertiesOf(params, {
    Channel: "channel",
    "Channel ID": "channel_id",
    User: "user",
    Timestamp: "ts",
    Message: "timestamp",
    Name: "name",
    Text: "text",
  });
}
