// Bundles the SDK entry points as ES modules into dist/. WGSL is imported as strings and the
// body WASM is inlined (src/body/wasm-binary.generated.ts), so nothing is fetched at run time.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import esbuild from 'rollup-plugin-esbuild';
import { wgslRollup } from './scripts/wgsl-plugin.mjs';
import { inlineWorkerRollup } from './scripts/worker-plugin.mjs';
import { copyMediaPipe } from './scripts/copy-mediapipe.mjs';

// Error classes keep their names: errors.ts sets `name` from the class, and errors cross the
// worker boundary (and reach pages) by that name.
const minify = () => terser({ keep_classnames: /Error$/ });

// TypeScript → JavaScript by the TypeScript compiler itself (the design card's toolchain), with the
// sources' own compiler options (legacy decorators for lit, useDefineForClassFields: false). It only
// transpiles here (noCheck): `npm run build` type-checks everything once afterwards, in
// `tsc -p tsconfig.build.json`, which also writes the declarations.
const ts = () => typescript({
  tsconfig: './tsconfig.build.json',
  compilerOptions: {
    noEmit: false, noCheck: true, declaration: false, emitDeclarationOnly: false, declarationDir: undefined,
    allowImportingTsExtensions: false, sourceMap: true,
  },
});

// The workers are bundled by nested rollup runs (scripts/worker-plugin.mjs). esbuild is kept
// there because it is clearly better for them: each TypeScript plugin instance builds a whole
// program of the project again (measured: +12 s CPU per build, two workers), while esbuild
// transpiles file by file, and worker code has nothing that needs the compiler (no decorators, no
// const enums; isolatedModules holds for the whole project).
const workerPlugins = () => [withoutDefaultBody(), wgslRollup(), nodeResolve({ browser: true }), esbuild({ target: 'es2022', tsconfig: './tsconfig.json' }), minify()];

// One copy of the default body (1.8 MB of base64): the page's. The workers' bundles leave it out
// and get the bytes from the page when it starts them (src/body/default-body-bytes.ts).
function withoutDefaultBody() {
  return {
    name: 'worker-without-default-body',
    load(id) {
      return id.replaceAll('\\', '/').endsWith('src/body/default-body-asset.generated.ts') ? 'export const DEFAULT_BODY_BASE64 = null;' : null;
    },
  };
}

const plugins = () => [
  // The player's, the trainer's and the motion parser's workers, bundled self-contained and inlined as Blob URLs
  // (scripts/worker-plugin.mjs).
  inlineWorkerRollup({
    entry: 'src/worker/player-worker.ts', replaces: 'src/worker/worker-url.ts',
    exportName: 'createPlayerWorker', workerName: 'gaussian-avatar player', plugins: workerPlugins,
  }),
  inlineWorkerRollup({
    entry: 'src/worker/train-worker.ts', replaces: 'src/worker/train-worker-url.ts',
    exportName: 'createTrainWorker', workerName: 'gaussian-avatar training', plugins: workerPlugins,
  }),
  inlineWorkerRollup({
    entry: 'src/worker/motion-worker.ts', replaces: 'src/worker/motion-worker-url.ts',
    exportName: 'createMotionWorker', workerName: 'gaussian-avatar motion', plugins: workerPlugins,
  }),
  wgslRollup(),
  nodeResolve({ browser: true }),
  ts(),
  // MediaPipe Pose's files into dist/mediapipe/, the capture stage's default base URL.
  copyMediaPipe(),
];

export default [
  {
    // Library entries: dependencies stay external (package consumers bundle them).
    input: { index: 'src/index.ts', body: 'src/body/index.ts', motion: 'src/motion/index.ts', element: 'components/index.ts' },
    output: { dir: 'dist', format: 'es', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    external: [/^fflate/, /^comlink/, /^lit/, /^gl-matrix/, /^@lit/],
    plugins: plugins(),
  },
  {
    // One self-contained file for any static page: dependencies, WASM and assets inlined.
    input: 'src/standalone.ts',
    output: { file: 'dist/gaussian-avatar.min.js', format: 'es', sourcemap: true, inlineDynamicImports: true },
    plugins: [...plugins(), minify()],
  },
];
