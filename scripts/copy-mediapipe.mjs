// Serves MediaPipe Pose with the SDK: copies @mediapipe/pose's script, WASM and model files into
// <output dir>/mediapipe/ (the heavy model, 27 MB, is left out: modelComplexity 0 and 1 only),
// and points the default base URL of src/capture/mediapipe-pose.ts at that folder from whatever
// chunk the module lands in. As a rollup plugin (rollup.config.mjs) or on its own:
//   node scripts/copy-mediapipe.mjs [outDir=dist]
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(root, 'node_modules', '@mediapipe', 'pose');

/** The files MediaPipe Pose loads at run time (pose.js itself, then what it asks `locateFile` for). */
export const MEDIAPIPE_FILES = [
  'pose.js',
  'pose_web.binarypb',
  'pose_solution_packed_assets_loader.js',
  'pose_solution_packed_assets.data',
  'pose_solution_simd_wasm_bin.js',
  'pose_solution_simd_wasm_bin.wasm',
  'pose_solution_simd_wasm_bin.data',
  'pose_solution_wasm_bin.js',
  'pose_solution_wasm_bin.wasm',
  'pose_landmark_lite.tflite',
  'pose_landmark_full.tflite',
];

/** Copies MEDIAPIPE_FILES into `outDir`/mediapipe/ (skipping files already there with the same size and a newer time). */
export function copyMediaPipeFiles(outDir) {
  const target = join(outDir, 'mediapipe');
  mkdirSync(target, { recursive: true });
  for (const name of MEDIAPIPE_FILES) {
    const from = join(packageDir, name);
    if (!existsSync(from)) throw new Error(`copy-mediapipe: ${from} is missing (npm install @mediapipe/pose)`);
    const to = join(target, name);
    if (existsSync(to)) {
      const [a, b] = [statSync(from), statSync(to)];
      if (a.size === b.size && b.mtimeMs >= a.mtimeMs) continue;
    }
    copyFileSync(from, to);
  }
  return target;
}

/** Rollup plugin: the copy after writing, and `import.meta.url` of the pose module → the output root. */
export function copyMediaPipe() {
  return {
    name: 'copy-mediapipe',
    resolveImportMeta(property, { chunkId, moduleId }) {
      if (property !== 'url' || !moduleId.replaceAll('\\', '/').endsWith('src/capture/mediapipe-pose.ts')) return null;
      const depth = posix.dirname(chunkId) === '.' ? 0 : posix.dirname(chunkId).split('/').length;
      return `new URL(${JSON.stringify(depth ? '../'.repeat(depth) : './')}, import.meta.url).href`;
    },
    writeBundle(options) {
      copyMediaPipeFiles(options.dir ?? dirname(options.file));
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`copied MediaPipe Pose to ${copyMediaPipeFiles(resolve(root, process.argv[2] ?? 'dist'))}`);
}
