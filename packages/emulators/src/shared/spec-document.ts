import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A JSON object of a description: OpenAPI 3, Swagger 2.0 or a schema inside one. */
export type Json = Record<string, unknown>;

/** A provider's API description as `specs-update.mjs` commits it under `specs/<provider>/` (OpenAPI 3 or Swagger 2.0). */
export interface ApiDescription extends Json {
  paths: Record<string, Json>;
  basePath?: string;
}

const loaded = new Map<string, ApiDescription>();

/**
 * The committed description `specs/<provider>/<file>` of this package, read once per process. Found by walking up
 * from this module: `src/shared/` when run from source, `dist/` when built (the package ships `specs/`).
 */
export function loadApiDescription(provider: string, file: string): ApiDescription {
  const key = `${provider}/${file}`;
  let description = loaded.get(key);
  if (!description) {
    description = JSON.parse(readFileSync(specPath(key), "utf8")) as ApiDescription;
    loaded.set(key, description);
  }
  return description;
}

function specPath(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, "specs", relative);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(
    `@autoflow/emulators: no specs/${relative} (run \`pnpm --filter @autoflow/emulators specs:update\`)`,
  );
}

/** What a local `$ref` (`#/components/schemas/issue`) points at in `document`. */
export function resolveRef(document: Json, ref: string): unknown {
  let found: unknown = document;
  for (const part of ref.slice(2).split("/")) {
    found = (found as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  if (found === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return found;
}

/** `node`, or what its `$ref` points at (followed until it is not a ref), with the pointer it was found at. */
export function followRef(document: Json, node: Json, at: string): { node: Json; at: string } {
  const ref = node.$ref;
  if (typeof ref !== "string") return { node, at };
  return followRef(document, resolveRef(document, ref) as Json, ref);
}
