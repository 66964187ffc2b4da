#!/usr/bin/env node
// The package's command. A committed file rather than dist/autoflow.js itself, so a workspace install links
// the command before the first build; the code is the build's.
import { existsSync } from "node:fs";

const entry = new URL("../dist/autoflow.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("autoflow is not built yet: run `pnpm build` in the repository first\n");
  process.exit(1);
}
await import(entry.href);
