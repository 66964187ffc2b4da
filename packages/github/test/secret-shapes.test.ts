import { maskToken, redactSecrets } from "@autoflow/core";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Github } from "../src/index";
import { REPO, runWithGithub } from "./__fixtures__/harness";

// GitHub's token shapes live in its provider definition; constructing `Github` registers them with core.
const emulator = new GithubEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
afterEach(() => emulator.clearFaults());

// Token-shaped strings that are not any token the runtime was told about.
const CLASSIC = `ghp_${"A1b2C3d4".repeat(4)}wxyz`;
const FINE_GRAINED = `github_pat_11ABCDEFG0${"x1Y2z3".repeat(9)}_9tail`;

describe("GitHub's token shapes", () => {
  new Github({ id: "shapes", token: "ghp_registered_by_construction_0000" });

  it("are masked in any logged text, keeping only the vendor prefix and the last four characters", () => {
    const text = `request failed: ${CLASSIC} and ${FINE_GRAINED} rejected`;
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(CLASSIC);
    expect(redacted).not.toContain(FINE_GRAINED);
    expect(redacted).toContain("ghp_…wxyz");
    expect(redacted).toContain("github_pat_…tail");
    for (const prefix of ["gho_", "ghu_", "ghs_", "ghr_"]) {
      expect(redactSecrets(`a ${prefix}${"Q".repeat(36)} b`)).toBe(`a ${prefix}…QQQQ b`);
    }
    expect(maskToken(FINE_GRAINED)).toBe("github_pat_…tail");
  });

  it("are masked in a task's params and in the error GitHub answered with", async () => {
    emulator.server.faults.failNext(1, {
      status: 422,
      body: { message: `Validation Failed: body mentions ${CLASSIC}`, errors: [{ code: "invalid" }] },
    });
    const { result, store, runId } = await runWithGithub(emulator, (github) =>
      github.issues.create("leak", {
        ...REPO,
        title: "Leaky",
        body: `my tokens: ${CLASSIC} ${FINE_GRAINED}`,
      }),
    );
    expect(result.status).toBe("failed");
    const logged = JSON.stringify({ result, run: await store.loadRun(runId) });
    expect(logged).not.toContain(CLASSIC);
    expect(logged).not.toContain(FINE_GRAINED);
    expect(logged).toContain("ghp_…wxyz");
    expect(logged).toContain("github_pat_…tail");
  });
});
