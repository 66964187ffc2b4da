import { defineConfig } from "vitest/config";
import { sharedProject } from "../../vitest.shared.ts";

// The conformance and spec-coverage tests compile providers' whole API descriptions with ajv: 2 s alone, past
// 20 s once when CI ran them beside other packages' suites on 2 cores. A margin, not a measure.
export default defineConfig(sharedProject("emulators", { timeoutMs: 90_000 }));
