import { createRequire } from "node:module";

type NodeCrypto = typeof import("node:crypto");

let loaded: NodeCrypto | undefined;

/**
 * `node:crypto`, loaded on first use rather than when core is imported: it is the largest builtin core loads
 * that the providers' SDKs do not (about 3.5 ms of a consumer's cold start, bench section 3), and a process
 * that imports core hashes nothing until a run, a webhook or a connection needs it. `process.getBuiltinModule`
 * from Node 22.3; before it, a `require` (a builtin resolves from any base path).
 */
export function nodeCrypto(): NodeCrypto {
  loaded ??= process.getBuiltinModule?.("node:crypto") ?? (createRequire("/")("node:crypto") as NodeCrypto);
  return loaded;
}
