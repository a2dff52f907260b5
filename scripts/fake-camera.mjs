// Chromium flags for browser tests that record from a camera: a fake camera playing
// build/fake-camera.y4m (written here, at config load, by tests/helpers/y4m.ts) and camera
// permission granted without a prompt. Used by web-test-runner.config.mjs for
// tests/**/*camera*.browser.test.ts only, in their own browser.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Test files that get the fake camera (and only they). */
export const isCameraTest = (file) => /camera[^/]*\.browser\.test\.ts$/.test(file);
export const CAMERA_TEST_GLOB = 'tests/**/*camera*.browser.test.ts';

/** Writes the .y4m and returns the flags that make Chromium's camera play it. */
export async function fakeCameraFlags() {
  const source = readFileSync(join(root, 'tests', 'helpers', 'y4m.ts'), 'utf8');
  const { code } = transformSync(source, { loader: 'ts', format: 'esm', target: 'node20' });
  const { fakeCameraY4m } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  const file = join(root, 'build', 'fake-camera.y4m');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, fakeCameraY4m());
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`];
}
