/**
 * @module
 * `npx -y pnpm@10 serve` in the repository: `autoflow serve` from the sources (see the README).
 */
import { main } from "./cli/run-autoflow";

main(["serve", ...process.argv.slice(2)]);
