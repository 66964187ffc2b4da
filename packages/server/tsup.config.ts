import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.shared";

export default [
  // tsup builds both configs at once: each cleans only its own files from dist/.
  packageBuild({ index: "src/index.ts" }, { clean: ["!autoflow.*"] }),
  // The `autoflow` bin: ESM only, no declarations (nothing imports it); tsup keeps the shebang and marks the
  // file executable.
  defineConfig({
    entry: { autoflow: "src/cli/autoflow.ts" },
    format: ["esm"],
    sourcemap: true,
    clean: ["!index.*"],
    target: "node22",
    removeNodeProtocol: false,
  }),
];
