import { coldStart } from "./cold-start";
import { rateLimitGoodput } from "./rate-limit-goodput";
import { replay } from "./replay";
import type { BenchSection } from "./section";
import { taskOverhead } from "./task-overhead";

/** Every section, in report order. A new section is one module exporting a `BenchSection`, added here. */
export const SECTIONS: readonly BenchSection[] = [taskOverhead, rateLimitGoodput, coldStart, replay];
