import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A plain npm project outside the monorepo with packed workspace packages installed, as a user's would be. */
export interface PackedProject {
  /** The project's directory (its `node_modules/.bin` holds the packages' bins). */
  dir: string;
  /**
   * A user's shell environment: without the `npm_*` settings pnpm hands its scripts, and with this Node first on
   * PATH, so a bin's `#!/usr/bin/env node` and npm itself do not find an older Node on the machine.
   */
  env: NodeJS.ProcessEnv;
  /** The directory names of the packages packed and installed: those asked for and their workspace dependencies. */
  packages: string[];
}

/**
 * Packs each of `requested` (directory names under `packagesDir`, each built: `exports` point at `dist/`) and the
 * workspace packages they depend on (transitively, so a package that joins the provider list is packed without
 * naming it here) with the pnpm running the tests, as publishing does (`workspace:*` becomes the version), and
 * installs the tarballs with npm into a fresh project in the system's temp directory. Slow (a minute or more): call it from `beforeAll` with a
 * generous timeout.
 */
export async function createPackedProject(
  packagesDir: string,
  requested: readonly string[],
): Promise<PackedProject> {
  const packages = withWorkspaceDependencies(packagesDir, requested);
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))),
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
  };
  for (const name of packages) {
    if (!existsSync(join(packagesDir, name, "dist"))) {
      throw new Error(`build the ${name} package first (turbo builds before test)`);
    }
  }
  const root = mkdtempSync(join(tmpdir(), "autoflow-packed-"));
  const tarballs = join(root, "tarballs");
  // The pnpm running these tests (`pnpm test` names it in npm_execpath), not a nested `npx pnpm`: under CI that
  // waited forever on npx's cache lock. `pnpm exec vitest` names none: then npx it is.
  const execpath = process.env.npm_execpath;
  const [command, prefix] = execpath?.includes("pnpm")
    ? [process.execPath, [execpath]]
    : ["npx", ["-y", "pnpm@10"]];
  await Promise.all(
    packages.map((name) =>
      run(command, [...prefix, "pack", "--pack-destination", tarballs], {
        cwd: join(packagesDir, name),
        env,
      }),
    ),
  );
  const dir = join(root, "app");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true }));
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...files], { cwd: dir, env });
  return { dir, env, packages };
}

/** `packages` and, transitively, the workspace packages their `dependencies` name with a `workspace:` range. */
function withWorkspaceDependencies(packagesDir: string, packages: readonly string[]): string[] {
  const manifest = (dir: string) =>
    JSON.parse(readFileSync(join(packagesDir, dir, "package.json"), "utf8")) as {
      name: string;
      dependencies?: Record<string, string>;
    };
  const dirByName = new Map(
    readdirSync(packagesDir)
      .filter((dir) => existsSync(join(packagesDir, dir, "package.json")))
      .map((dir) => [manifest(dir).name, dir]),
  );
  const found = new Set<string>();
  const pending = [...packages];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    if (found.has(dir)) continue;
    found.add(dir);
    for (const [name, range] of Object.entries(manifest(dir).dependencies ?? {})) {
      const dependency = dirByName.get(name);
      if (range.startsWith("workspace:") && dependency) pending.push(dependency);
    }
  }
  return [...found].sort();
}
