import { githubServiceHarness } from "./github/service-harness";
import type { ServiceHarness } from "./shared/service-harness";
import { slackServiceHarness } from "./slack/service-harness";

/**
 * Every emulator's service harness, by provider id: the service's HTTP contract tests run for every listed
 * provider and fail for one without a harness here. A new provider's emulator adds its line.
 */
export const SERVICE_HARNESSES: Readonly<Record<string, () => ServiceHarness>> = {
  slack: slackServiceHarness,
  github: githubServiceHarness,
};
