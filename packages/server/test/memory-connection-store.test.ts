import { MemoryConnectionStore } from "@autoflow/core";
import { describeConnectionStore } from "./connection-store-suite";

describeConnectionStore("MemoryConnectionStore", () => new MemoryConnectionStore());
