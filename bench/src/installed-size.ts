import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  files?: string[];
}

/**
 * The directory of package `name` as Node resolves it from `fromDir` (walking up node_modules), real path. A
 * package resolves its own name to itself (Node's self-reference), as the cold-start bench asks a provider's
 * package for it.
 */
export function packageDir(name: string, fromDir: string): string | undefined {
  const own = join(fromDir, "package.json");
  if (existsSync(own) && (JSON.parse(readFileSync(own, "utf8")) as PackageJson).name === name)
    return realpathSync(fromDir);
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

function bytesUnder(path: string): number {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return 0;
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of readdirSync(path)) {
    // Nested node_modules are other packages, counted (once) when the closure reaches them.
    if (entry === "node_modules") continue;
    total += bytesUnder(join(path, entry));
  }
  return total;
}

/** What `npm install` puts on disk for one package: a workspace package ships only its `files`. */
function packageBytes(dir: string): number {
  const isWorkspacePackage = !dir.includes(`${"/"}node_modules${"/"}`);
  if (!isWorkspacePackage) return bytesUnder(dir);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
  const files = ["package.json", ...(manifest.files ?? [])];
  return files
    .map((f) => join(dir, f))
    .reduce((sum, path) => sum + (existsSync(path) ? bytesUnder(path) : 0), 0);
}

/**
 * Installed bytes of `name` and its whole dependency closure (dependencies and optional ones present; not
 * peers).
 */
export function installedSize(name: string, fromDir: string): { bytes: number; packages: number } {
  const seen = new Set<string>();
  const visit = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
    const deps = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
    ];
    for (const dep of deps) {
      const depDir = packageDir(dep, dir);
      if (depDir) visit(depDir);
    }
  };
  const root = packageDir(name, fromDir);
  if (!root) throw new Error(`cannot find ${name} from ${fromDir}`);
  visit(root);
  let bytes = 0;
  for (const dir of seen) bytes += packageBytes(dir);
  return { bytes, packages: seen.size };
}
