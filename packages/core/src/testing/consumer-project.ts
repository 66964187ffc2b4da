import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

/** A throwaway project with only built packages installed, as a user's `npm install` would leave it. */
export interface ConsumerProject {
  dir: string;
  /** Writes `source` to `file` (`.mjs` for ESM, `.cjs` for CommonJS) and runs it with this Node; resolves to stdout. */
  run(file: string, source: string): Promise<string>;
}

/**
 * Links each package directory (by its npm name) into a fresh project's `node_modules`. The
 * packages must be built: their `exports` point at `dist/`. Runs are async, so emulators in the
 * test process keep answering while the consumer runs.
 */
export function createConsumerProject(packages: Record<string, string>): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), "autoflow-consumer-"));
  for (const [name, packageDir] of Object.entries(packages)) {
    if (!existsSync(join(packageDir, "dist")))
      throw new Error(`build ${name} first (turbo builds before test)`);
    const target = join(dir, "node_modules", name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(packageDir, target, "dir");
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  return {
    dir,
    run: async (file, source) => {
      writeFileSync(join(dir, file), source);
      const { stdout } = await promisify(execFile)(process.execPath, [join(dir, file)], { cwd: dir });
      return stdout.trim();
    },
  };
}
