#!/usr/bin/env node
// The package's command. A committed file rather than dist/autoflow.js itself, so a workspace install links
// the command before the first build; the code is the build's.
import { existsSync } from "node:fs";

// The service keeps its state in node:sqlite (unflagged since Node.js 22.13): on an older Node, say so plainly
// rather than fail with a module-loading stack trace.
try {
  await import("node:sqlite");
} catch {
  process.stderr.write(
    `autoflow needs Node.js 22.13 or newer (node:sqlite); this is Node.js ${process.versions.node}\n`,
  );
  process.exit(1);
}

const entry = new URL("../dist/autoflow.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("autoflow is not built yet: run `pnpm build` in the repository first\n");
  process.exit(1);
}
await import(entry.href);
