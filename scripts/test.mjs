#!/usr/bin/env node
// `npm test`: every test, on real parts. Unit tests, the attack suite against the built server, integration tests
// against a real Swarm lab, then end-to-end tests in Chromium. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = path.join(root, 'test-results', 'summary');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function vitestCounts(file) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

function playwrightCounts(file) {
  if (!existsSync(file)) return null;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
}

const steps = [
  {
    name: 'unit',
    label: 'Unit tests (vitest)',
    go: (out) => run('Unit tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]),
    count: vitestCounts,
  },
  {
    name: 'attack',
    label: 'Attack suite against the built server (vitest)',
    go: (out) =>
      run('Attack suite against the built server (vitest)', bin('vitest'), [
        'run', '-c', 'vitest.attack.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`,
      ]),
    count: vitestCounts,
  },
  {
    name: 'integration',
    label: 'Integration tests on a real Swarm lab (vitest)',
    go: (out) =>
      run('Integration tests on a real Swarm lab (vitest)', bin('vitest'), [
        'run', '-c', 'vitest.integration.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`,
      ]),
    count: vitestCounts,
  },
  {
    name: 'e2e',
    label: 'End-to-end tests (Playwright, Chromium)',
    go: (out) => run('End-to-end tests (Playwright, Chromium)', bin('playwright'), ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out }),
    count: playwrightCounts,
  },
];

if (!run('System packages', process.execPath, [path.join(root, 'scripts', 'system-deps.mjs')])) process.exit(1);

const total = { passed: 0, failed: 0, skipped: 0 };
let ok = true;
for (const step of steps.filter((s) => wanted(s.name))) {
  const out = path.join(results, `${step.name}.json`);
  const passed = step.go(out);
  const counts = step.count(out);
  if (!counts) {
    console.error(`✗ ${step.label}: no results were written`);
    total.failed += 1;
  } else {
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    if (!passed && counts.failed === 0) total.failed += 1; // the runner failed outside any test
  }
  ok &&= passed;
}

console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(ok && total.failed === 0 ? 0 : 1);
