import { describe, expect, it } from "vitest";
import { describeTaskStore } from "../testing/task-store-suite";
import { MemoryTaskStore } from "./memory-task-store";

describeTaskStore("MemoryTaskStore", () => new MemoryTaskStore());

describe("MemoryTaskStore", () => {
  it("rejects calls after close", async () => {
    const store = new MemoryTaskStore();
    await store.close();
    await expect(store.loadRun("run")).rejects.toThrow(/closed/);
  });
});
