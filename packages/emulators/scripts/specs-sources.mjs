// What `specs-update.mjs` derives, per provider: which pinned description file feeds which committed subset, and
// which operations and webhook events of it the emulator serves. Each provider's entries are its own file,
// `scripts/<provider>-spec-sources.mjs` (default export: its entries), collected here by that name; a new provider
// is a new file (with `extract` kinds the script knows), not a new script.
import { readdirSync } from "node:fs";

const SOURCE_FILE = /^([a-z0-9-]+)-spec-sources\.mjs$/;

/**
 * Per provider, the subsets to write to `specs/<provider>/<output>`.
 * `extract`: `operations` (OpenAPI 3 or Swagger 2 `paths`, `select` = `METHOD /path`), `all-operations` (every
 * operation of `paths`, no `select`: the description the emulators' spec fallback answers from),
 * `webhooks` (OpenAPI 3.1 `webhooks`, `select` = webhook keys), `topics` (AsyncAPI 1.2 `topics`,
 * `select` = topic names) or `examples` (published example payloads, `select` = event names; see
 * `webhook-examples.mjs`).
 */
export const SPEC_SOURCES = {};

for (const file of readdirSync(new URL(".", import.meta.url)).sort()) {
  const provider = SOURCE_FILE.exec(file)?.[1];
  if (provider) SPEC_SOURCES[provider] = (await import(new URL(file, import.meta.url).href)).default;
}
