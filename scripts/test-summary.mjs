// Sums the vitest JSON reports of every package into one closing line: "N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
for (const dir of readdirSync("packages")) {
  const file = `packages/${dir}/test-results.json`;
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  reports++;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
if (reports === 0 || passed === 0) {
  console.error("test-summary: no test results were found");
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
