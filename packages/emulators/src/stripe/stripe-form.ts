/** A value of a Stripe form: text, or nested objects and arrays of text (`metadata[plan]`, `items[0][price]`). */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/**
 * Stripe's form encoding, read back into nested objects, as the API reads it: `metadata[plan]=pro` is
 * `{ metadata: { plan: "pro" } }`, `items[0][price]=p` and `expand[]=x` are arrays. Empty strings stay (Stripe
 * reads `metadata[plan]=` as "unset").
 */
export function parseStripeForm(text: string): FormObject {
  const root: FormObject = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const [head = "", ...rest] = name.split("[");
    const keys = [head, ...rest.map((part) => part.replace(/]$/, ""))];
    assign(root, keys, value);
  }
  return arraysOf(root) as FormObject;
}

function assign(root: FormObject, keys: string[], value: string): void {
  let node: FormObject = root;
  keys.forEach((key, i) => {
    const last = i === keys.length - 1;
    // `expand[]=a&expand[]=b`: the next free index.
    const name = key === "" ? String(Object.keys(node).length) : key;
    if (last) {
      node[name] = value;
      return;
    }
    const next = node[name];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[name] = {};
    node = node[name] as FormObject;
  });
}

/** Objects whose keys are 0..n-1 become arrays, at every depth. */
function arraysOf(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((key) => [key, arraysOf(value[key] as FormValue)] as const);
  const isArray = keys.length > 0 && keys.every((key, i) => key === String(i));
  return isArray ? entries.map(([, item]) => item) : Object.fromEntries(entries);
}

/** A text field of a parsed form, or undefined. */
export function text(form: FormObject | undefined, key: string): string | undefined {
  const value = form?.[key];
  return typeof value === "string" ? value : undefined;
}

/** A whole-number field (amounts in the smallest currency unit), or undefined. */
export function integer(form: FormObject | undefined, key: string): number | undefined {
  const value = text(form, key);
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
}

/** A boolean field (`true`/`false`), or undefined. */
export function flag(form: FormObject | undefined, key: string): boolean | undefined {
  const value = text(form, key);
  return value === "true" ? true : value === "false" ? false : undefined;
}

/** A nested object field, or undefined. */
export function object(form: FormObject | undefined, key: string): FormObject | undefined {
  const value = form?.[key];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

/** An array field (`items[0][price]`, `expand[]`), or an empty array. */
export function list(form: FormObject | undefined, key: string): FormValue[] {
  const value = form?.[key];
  if (Array.isArray(value)) return value;
  // A single `expand=x` (or an object with sparse indices) still reads as a list.
  if (typeof value === "string") return [value];
  return value && typeof value === "object" ? Object.values(value) : [];
}

/** `metadata[...]`: set keys, remove those sent empty, as Stripe merges metadata on update. */
export function mergeMetadata(
  current: Record<string, string>,
  form: FormObject | undefined,
): Record<string, string> {
  const sent = form?.metadata;
  // `metadata=` (empty) clears every key.
  if (sent === "") return {};
  const update = object(form, "metadata");
  if (!update) return current;
  const merged = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === "") delete merged[key];
    else if (typeof value === "string") merged[key] = value;
  }
  return merged;
}
