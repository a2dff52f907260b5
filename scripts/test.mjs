// `npm test`: build, node tests (node:test via tsx), then browser tests (web-test-runner in
// Chromium with WebGPU). Ends with one line `N passed, N failed` over both. Skipped tests count
// as failed: this project has none on purpose. `--only node|browser` runs one half.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const filter = process.argv.includes('--grep') ? process.argv[process.argv.indexOf('--grep') + 1] : undefined;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function findTests(dir, predicate, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, predicate, out);
    else if (predicate(name) && (!filter || p.includes(filter))) out.push(relative(root, p));
  }
  return out.sort();
}

let passed = 0;
let failed = 0;

if (!process.argv.includes('--no-build')) {
  if (run('npm', ['run', 'build', '--silent']) !== 0) {
    console.log('build failed');
    console.log(`0 passed, 1 failed`);
    process.exit(1);
  }
}

if (only !== 'browser') {
  const files = findTests(join(root, 'tests'), (n) => n.endsWith('.test.ts') && !n.endsWith('.browser.test.ts'));
  const tap = join(root, 'build', `node-${process.pid}.tap`); // per run: parallel runs must not share it
  rmSync(tap, { force: true });
  const status = run(process.execPath, [
    '--import', 'tsx', '--test', '--test-timeout=900000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const field = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)`, 'm')) ?? [])[1] ?? 0);
  passed += field('pass');
  failed += field('fail') + field('skipped') + field('todo') + field('cancelled');
  if (status !== 0 && field('fail') + field('cancelled') === 0) failed++; // crashed outside any test
  console.log(`node tests: ${field('pass')} passed, ${field('fail')} failed, ${field('skipped') + field('todo')} skipped`);
}

if (only !== 'node') {
  const results = join(root, 'build', `browser-results-${process.pid}.json`);
  rmSync(results, { force: true });
  const env = { WTR_RESULTS: results };
  if (filter) env.WTR_FILES = findTests(join(root, 'tests'), (n) => n.endsWith('.browser.test.ts')).join(',');
  const status = run(process.execPath, [join(root, 'node_modules', '@web', 'test-runner', 'dist', 'bin.js'), '--config', 'web-test-runner.config.mjs'], env);
  if (existsSync(results)) {
    const r = JSON.parse(readFileSync(results, 'utf8'));
    passed += r.passed;
    failed += r.failed + r.skipped;
    if (status !== 0 && r.failed === 0) failed++;
    console.log(`browser tests: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  } else {
    console.log('browser tests: did not run');
    failed++;
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
