import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.shared";

export default [
  // tsup builds both configs at once: each cleans only its own files from dist/.
  // shims: the CommonJS build finds `specs/` from its own file too (`import.meta.url` in src/shared/spec-document.ts).
  packageBuild({ index: "src/index.ts" }, { clean: ["!autoflow-emulators.*"], shims: true }),
  // The `autoflow-emulators` bin: ESM only, no declarations (nothing imports it); tsup keeps the shebang
  // and marks the file executable.
  defineConfig({
    entry: { "autoflow-emulators": "src/cli/autoflow-emulators.ts" },
    format: ["esm"],
    sourcemap: true,
    clean: ["!index.*"],
    target: "node22",
    removeNodeProtocol: false,
  }),
];
