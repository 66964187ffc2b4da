#!/usr/bin/env node
/**
 * @module
 * `autoflow`: the connection service's command (`serve`, `worker`, `token`, `runs`, `emulators`, `reencrypt`).
 * Exit codes: 0 done or stopped by Ctrl-C, 1 failed, 2 a bad command line.
 */
import { main } from "./run-autoflow";

main(process.argv.slice(2));
