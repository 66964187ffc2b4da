import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The built dashboard's directory (`index.html` and its hashed assets), which the connection service serves at
 * `/`. Found from this module's own location, in the published package (`dist/index.js`) and in the workspace
 * sources (`src/index.ts`) alike: the package root is the nearest directory above with this package.json.
 */
export function dashboardAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("@autoflow/dashboard: package root not found");
    dir = parent;
  }
  return join(dir, "dist", "app");
}
