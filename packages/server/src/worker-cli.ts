/**
 * @module
 * `npx -y pnpm@10 --filter @autoflow/server worker` in the repository: `autoflow worker` from the sources.
 */
import { main } from "./cli/run-autoflow";

main(["worker", ...process.argv.slice(2)]);
