import { emulatorServiceHarness, type ServiceHarness } from "../shared/service-harness";
import { GithubEmulator } from "./github-emulator";

/** The GitHub emulator as the service's HTTP contract tests drive it: tokens of its OAuth app, which it can revoke. */
export function githubServiceHarness(): ServiceHarness {
  const emulator = new GithubEmulator();
  return emulatorServiceHarness(emulator, {
    mintToken: () => emulator.mintToken({ clientId: emulator.oauthApp.clientId }),
    expectedMetadata: { login: "octocat" },
  });
}
