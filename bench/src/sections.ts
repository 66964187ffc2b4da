import { coldStart } from "./cold-start";
import { dashboardSize } from "./dashboard-size";
import { effectivelyOnce } from "./effectively-once";
import { rateLimitGoodput } from "./rate-limit-goodput";
import { replay } from "./replay";
import { scaleOut } from "./scale-out";
import type { BenchSection } from "./section";
import { taskOverhead } from "./task-overhead";
import { typeCheckTime } from "./type-check";
import { webhookIntake } from "./webhook-intake";
import { workerMemory } from "./worker-memory";

/** Every section, in report order. A new section is one module exporting a `BenchSection`, added here. */
export const SECTIONS: readonly BenchSection[] = [
  taskOverhead,
  rateLimitGoodput,
  coldStart,
  typeCheckTime,
  replay,
  webhookIntake,
  scaleOut,
  workerMemory,
  effectivelyOnce,
  dashboardSize,
];
