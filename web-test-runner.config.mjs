// Browser tests: real Chromium with WebGPU (SwiftShader where there is no GPU).
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { findChromium, WEBGPU_FLAGS } from './scripts/chromium.mjs';
import { wgslDevServer } from './scripts/wgsl-plugin.mjs';
import { countingReporter } from './scripts/counting-reporter.mjs';

let executablePath;
try {
  executablePath = findChromium();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}

export default {
  files: process.env.WTR_FILES ? process.env.WTR_FILES.split(',') : ['tests/**/*.browser.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 120000,
  testsStartTimeout: 180000,
  testsFinishTimeout: 900000,
  testFramework: { config: { timeout: 600000 } },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), wgslDevServer()],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath, headless: true, args: WEBGPU_FLAGS },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countingReporter(process.env.WTR_RESULTS ?? 'build/browser-results.json')],
};
