import { defineConfig, type ViteUserConfig } from "vitest/config";
import { sharedProject } from "../../vitest.shared.ts";

// Core's vitest is another peer variant of the same version than the root's (core's dev `@opentelemetry/api` is
// 1.9.x, the range `@opentelemetry/sdk-trace-base` accepts): the same config type, nominally two.
export default defineConfig(sharedProject("core") as unknown as ViteUserConfig);
