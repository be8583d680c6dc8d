// Runs every package's tests through turbo, then (on a full run, without turbo arguments) the
// repository-level tests in scripts/, and prints one total over all of them
// ("tests: N passed, N failed, N skipped") from the JSON reports vitest writes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const reports = ['packages', 'examples']
  .filter((group) => existsSync(join(root, group)))
  .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name, 'reports/vitest.json')))
  .concat(join(root, 'scripts/reports/vitest.json'));
for (const report of reports) rmSync(report, { force: true });

const turboArgs = process.argv.slice(2);
const turbo = spawnSync('turbo', ['run', 'test', '--continue', ...turboArgs], {
  cwd: root,
  stdio: 'inherit',
  env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
});

const scripts =
  turboArgs.length === 0 ? spawnSync('pnpm', ['--silent', 'test:scripts'], { cwd: root, stdio: 'inherit' }) : { status: 0 };

const total = { passed: 0, failed: 0, skipped: 0 };
for (const report of reports.filter((r) => existsSync(r))) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  total.passed += json.numPassedTests;
  total.failed += json.numFailedTests + json.numFailedTestSuites;
  total.skipped += json.numPendingTests + json.numTodoTests;
}
console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(turbo.status !== 0 || scripts.status !== 0 || total.failed > 0 || total.passed === 0 ? 1 : 0);
