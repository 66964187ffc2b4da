import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createConsumerProject } from "./consumer-project";

/** What `importLoads` saw: the module URLs Node loaded. */
export interface ImportLoads {
  /** Loaded by the import alone. */
  onImport: string[];
  /** Loaded by the end of `afterImport` (the import's too). */
  atEnd: string[];
  /** What `afterImport` returned (JSON), or null. */
  result: unknown;
}

/**
 * Imports a built package in a fresh consumer project (with the `@autoflow/core` it depends on) under a
 * `registerHooks` load hook, and answers every module URL Node loaded: on the import, and by the end of `afterImport`,
 * an async function body that sees the module as `imported` and may return a JSON value. For tests that a package
 * loads no more than it needs when a user imports it (a heavy dependency loaded on first use, an SDK entry that
 * pulls in every model).
 */
export async function importLoads(options: {
  name: string;
  packageDir: string;
  afterImport?: string;
}): Promise<ImportLoads> {
  const { name, packageDir, afterImport = "" } = options;
  const coreDir = dirname(
    createRequire(join(packageDir, "package.json")).resolve("@autoflow/core/package.json"),
  );
  const project = createConsumerProject({ "@autoflow/core": coreDir, [name]: packageDir });
  const out = await project.run(
    "import-loads.mjs",
    `import { registerHooks } from "node:module";
     const loaded = [];
     registerHooks({
       load(url, context, nextLoad) {
         loaded.push(url);
         return nextLoad(url, context);
       },
     });
     const imported = await import(${JSON.stringify(name)});
     const onImport = [...loaded];
     const result = await (async () => {
       ${afterImport}
     })();
     console.log(JSON.stringify({ onImport, atEnd: loaded, result: result ?? null }));`,
  );
  return JSON.parse(out) as ImportLoads;
}
