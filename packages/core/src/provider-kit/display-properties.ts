import type { DisplayProperty } from "../display";

/** How long a displayed value may be: longer text is cut, on one line. */
const EXCERPT_LENGTH = 80;

/** `text` on one line, cut to 80 characters with an ellipsis. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH - 1)}…` : flat;
}

/**
 * A task's display property when `value` is there: none for `undefined`, `null`, `""`, an empty list or an
 * object; a list as its items (or their `name`s: labels, assignees) joined with commas; anything else as
 * text, cut to a one-line excerpt.
 */
export function optionalProperty(label: string, value: unknown): DisplayProperty[] {
  if (value === undefined || value === null || value === "") return [];
  if (Array.isArray(value)) {
    const names = value.map((v) =>
      typeof v === "object" && v !== null && "name" in v ? String(v.name) : String(v),
    );
    return names.length > 0 ? [{ label, text: excerpt(names.join(", ")) }] : [];
  }
  if (typeof value === "object" || typeof value === "function") return [];
  return [{ label, text: excerpt(String(value)) }];
}

/**
 * Display properties read from a call's `params`: `fields` maps a label to a param name
 * (`{ Channel: "channel", Text: "text" }`), each shown as `optionalProperty` shows it. Params are read
 * loosely because many SDK argument types are unions.
 */
export function propertiesOf(params: unknown, fields: Readonly<Record<string, string>>): DisplayProperty[] {
  if (typeof params !== "object" || params === null) return [];
  const values = params as Record<string, unknown>;
  return Object.entries(fields).flatMap(([label, name]) => optionalProperty(label, values[name]));
}
