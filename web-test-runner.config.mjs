// Browser tests: real Chromium with WebGPU (SwiftShader where there is no GPU).
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { findChromium, WEBGPU_FLAGS } from './scripts/chromium.mjs';
import { wgslDevServer } from './scripts/wgsl-plugin.mjs';
import { countingReporter } from './scripts/counting-reporter.mjs';
import { benchFilesPlugin } from './scripts/bench-files.mjs';
import { CAMERA_TEST_GLOB, fakeCameraFlags, isCameraTest } from './scripts/fake-camera.mjs';
import { slowResponse } from './scripts/slow-response.mjs';

let executablePath;
try {
  executablePath = findChromium();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}

// Camera tests run in their own browser, whose fake camera plays build/fake-camera.y4m.
const listed = process.env.WTR_FILES?.split(',');
const otherFiles = listed ? listed.filter((f) => !isCameraTest(f)) : ['tests/**/*.browser.test.ts', `!${CAMERA_TEST_GLOB}`];
const cameraFiles = listed ? listed.filter(isCameraTest) : [CAMERA_TEST_GLOB];

export default {
  files: otherFiles.length > 0 ? otherFiles : undefined,
  groups: cameraFiles.length > 0 ? [{
    name: 'fake-camera',
    files: cameraFiles,
    browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args: [...WEBGPU_FLAGS, ...(await fakeCameraFlags())] } })],
  }] : [],
  nodeResolve: true,
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 120000,
  testsStartTimeout: 180000,
  // Benchmarks (scripts/bench.mjs) train for many minutes and raise both limits.
  testsFinishTimeout: Number(process.env.WTR_FINISH_TIMEOUT_MS ?? 900000),
  testFramework: { config: { timeout: Number(process.env.WTR_TEST_TIMEOUT_MS ?? 600000) } },
  middleware: [slowResponse],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), wgslDevServer(), benchFilesPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath, headless: true, args: WEBGPU_FLAGS },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countingReporter(process.env.WTR_RESULTS ?? 'build/browser-results.json')],
};
