// `npm run bench`: node benchmarks (tests/bench/*.bench.ts, e.g. the WASM body model) and browser
// benchmarks (tests/bench/*.browser.bench.ts, WebGPU in Chromium). Each prints its own table
// with the device/runtime name. Figures are printed, never asserted.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'tests', 'bench');
const files = readdirSync(dir).sort();
const only = process.argv[2]; // optional substring filter
const pick = (suffix) => files.filter((f) => f.endsWith(suffix) && (!only || f.includes(only))).map((f) => join('tests', 'bench', f));

let status = 0;
const nodeFiles = pick('.bench.ts').filter((f) => !f.endsWith('.browser.bench.ts'));
for (const f of nodeFiles) {
  status |= spawnSync(process.execPath, ['--import', 'tsx', f], { cwd: root, stdio: 'inherit' }).status ?? 1;
}
const browserFiles = pick('.browser.bench.ts');
if (browserFiles.length) {
  status |= spawnSync(process.execPath, [join(root, 'node_modules', '@web', 'test-runner', 'dist', 'bin.js'), '--config', 'web-test-runner.config.mjs'],
    { cwd: root, stdio: 'inherit', env: { ...process.env, WTR_FILES: browserFiles.join(','), WTR_FINISH_TIMEOUT_MS: '7200000', WTR_TEST_TIMEOUT_MS: '3600000' } }).status ?? 1;
}
process.exit(status);
