/**
 * @module
 * `npx -y pnpm@10 --filter @autoflow/server reencrypt` in the repository: `autoflow reencrypt` from the sources.
 */
import { main } from "./cli/run-autoflow";

main(["reencrypt", ...process.argv.slice(2)]);
