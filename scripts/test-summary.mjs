// Sums the vitest JSON reports of every package into one closing line: "N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
// A file whose hook failed (a beforeAll that timed out) fails with its tests reported skipped, not failed: count it.
const failedFiles = [];
// CI sets AUTOFLOW_TEST_DATABASE_URL: then the PostgreSQL suites must have run, not skipped themselves.
const requirePostgres = Boolean(process.env.AUTOFLOW_TEST_DATABASE_URL);
let postgresPassed = 0;
let postgresSkipped = 0;
for (const dir of readdirSync("packages")) {
  const file = `packages/${dir}/test-results.json`;
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  reports++;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  for (const file of report.testResults ?? []) {
    if (file.status === "failed" && (file.assertionResults ?? []).every((test) => test.status !== "failed")) {
      failedFiles.push(`${file.name}: ${(file.message ?? "failed").split("\n")[0]}`);
    }
    for (const test of file.assertionResults ?? []) {
      if (!/postgres/i.test(`${file.name} ${test.fullName}`)) continue;
      if (test.status === "passed") postgresPassed++;
      else if (test.status === "skipped" || test.status === "pending") postgresSkipped++;
    }
  }
}
if (reports === 0 || passed === 0) {
  console.error("test-summary: no test results were found");
  process.exit(1);
}
console.log(
  `${passed} passed, ${failed} failed, ${skipped} skipped${failedFiles.length > 0 ? `, ${failedFiles.length} file(s) failed outside a test` : ""}`,
);
for (const line of failedFiles) console.error(`test-summary: ${line}`);
if (requirePostgres && (postgresPassed === 0 || postgresSkipped > 0)) {
  console.error(
    `test-summary: the PostgreSQL suites did not run (${postgresPassed} passed, ${postgresSkipped} skipped)`,
  );
  process.exit(1);
}
if (requirePostgres) console.log(`PostgreSQL suites: ${postgresPassed} tests passed against the real server`);
process.exit(failed > 0 || failedFiles.length > 0 ? 1 : 0);
