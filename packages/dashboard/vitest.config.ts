import { defineConfig } from "vitest/config";
import { sharedProject } from "../../vitest.shared.ts";

export default defineConfig(sharedProject("dashboard"));
