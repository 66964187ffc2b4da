import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineJob, type PollingTrigger } from "@autoflow/core";
import { afterAll, describe, expect, it } from "vitest";
import { loadServerConfig } from "../src/config";
import { createLogger } from "../src/logger";
import { PROVIDER_IDS } from "../src/providers";
import { startServer } from "../src/server";
import { generateVaultKey } from "../src/vault/vault";
import { removeTempDirs, tempSqlitePath } from "./sqlite-temp";
import { until } from "./until";

afterAll(removeTempDirs);

describe("polling triggers in the service", () => {
  it("keep their cursor in the database, so a restart neither misses nor repeats an item", async () => {
    const stars: { id: number; user: string }[] = [{ id: 1, user: "before-the-job" }];
    let polls = 0;
    const trigger: PollingTrigger<{ id: number; user: string }> = {
      kind: "polling",
      provider: "test",
      id: "stars:octo/hello",
      title: "new stars",
      intervalMs: 60_000,
      poll: async (cursor) => {
        polls++;
        const after = typeof cursor === "number" ? cursor : (stars.at(-1)?.id ?? 0);
        const items = cursor === undefined ? [] : stars.filter((s) => s.id > after);
        return { items, cursor: items.at(-1)?.id ?? after };
      },
      itemId: (item) => String(item.id),
    };
    const seen: string[] = [];
    const job = defineJob({
      id: "on-star",
      trigger,
      run: async (star, io) => io.runTask("record", async () => seen.push(star.user)),
    });
    const config = loadServerConfig(
      {
        PORT: "0",
        AUTOFLOW_VAULT_KEY: generateVaultKey(),
        AUTOFLOW_JWT_SECRET: `jwt-${generateVaultKey()}`,
        AUTOFLOW_STATE_DIR: mkdtempSync(join(tmpdir(), "autoflow-state-")),
        AUTOFLOW_SQLITE_PATH: tempSqlitePath(),
      },
      PROVIDER_IDS,
    );
    const start = () =>
      startServer(config, {
        hostname: "127.0.0.1",
        logger: createLogger({ sink: () => {} }),
        jobs: [job],
        pollIntervalMs: 20,
      });

    const first = await start();
    await until(() => polls >= 2, "the first polls");
    stars.push({ id: 2, user: "ada" }, { id: 3, user: "lin" });
    await until(() => seen.length === 2, "the new stars' runs");
    await first.close();

    // While the service is down: one more star, which the restarted service must pick up from the cursor.
    stars.push({ id: 4, user: "kay" });
    const second = await start();
    await until(() => seen.length >= 3, "the star added while down");
    const pollsAfterRestart = polls;
    await until(() => polls >= pollsAfterRestart + 2, "two more polls");
    expect(seen).toEqual(["ada", "lin", "kay"]);
    expect(await second.stores.cursors.getCursor("stars:octo/hello")).toBe(4);
    await second.close();
  });
});
