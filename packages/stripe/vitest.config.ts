import { defineConfig } from "vitest/config";
import { sharedProject } from "../../vitest.shared.ts";

// A 60 s margin: the Stripe emulator checks requests against Stripe's whole API description, slow to compile on a
// loaded 2-core machine (CI runs every package's tests and the dashboard's browser tests at once).
export default defineConfig(sharedProject("stripe", { timeoutMs: 60_000 }));
