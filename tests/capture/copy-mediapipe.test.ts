// scripts/copy-mediapipe.mjs: the files it ships are every file @mediapipe/pose's script can ask
// for (bar the heavy model), copied whole; the default base URL points at the output root from
// any chunk.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEDIAPIPE_FILES, copyMediaPipe, copyMediaPipeFiles } from '../../scripts/copy-mediapipe.mjs';

const packageDir = join(import.meta.dirname, '..', '..', 'node_modules', '@mediapipe', 'pose');

describe('copy-mediapipe', () => {
  it('ships every file pose.js names (except the heavy model) and the loaders\' companions', () => {
    const script = readFileSync(join(packageDir, 'pose.js'), 'utf8');
    const named = new Set(script.match(/pose_[a-z_]+\.(?:js|wasm|data|tflite|binarypb)/g) ?? []);
    assert.ok(named.size >= 6, `pose.js names ${[...named]}`);
    named.delete('pose_landmark_heavy.tflite');
    for (const name of named) assert.ok(MEDIAPIPE_FILES.includes(name), `${name} is loaded by pose.js but not shipped`);
    // The WASM loaders fetch their .wasm/.data beside them.
    for (const loader of MEDIAPIPE_FILES.filter((f) => f.endsWith('_wasm_bin.js'))) {
      assert.ok(MEDIAPIPE_FILES.includes(loader.replace(/\.js$/, '.wasm')), loader);
    }
    assert.ok(!MEDIAPIPE_FILES.includes('pose_landmark_heavy.tflite'));
  });

  it('copies the files whole into <outDir>/mediapipe/', () => {
    const out = mkdtempSync(join(tmpdir(), 'copy-mediapipe-'));
    try {
      const target = copyMediaPipeFiles(out);
      assert.equal(target, join(out, 'mediapipe'));
      for (const name of MEDIAPIPE_FILES) assert.equal(statSync(join(target, name)).size, statSync(join(packageDir, name)).size, name);
      const wasm = 'pose_solution_simd_wasm_bin.wasm';
      assert.ok(readFileSync(join(target, wasm)).equals(readFileSync(join(packageDir, wasm))));
      copyMediaPipeFiles(out); // a second build finds them there
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('resolves the pose module\'s import.meta.url to the output root from any chunk, and leaves other modules alone', () => {
    const plugin = copyMediaPipe();
    const id = '/repo/src/capture/mediapipe-pose.ts';
    assert.equal(plugin.resolveImportMeta('url', { chunkId: 'index.js', moduleId: id }), 'new URL("./", import.meta.url).href');
    assert.equal(plugin.resolveImportMeta('url', { chunkId: 'chunks/capture-1a2b.js', moduleId: id }), 'new URL("../", import.meta.url).href');
    assert.equal(plugin.resolveImportMeta('url', { chunkId: 'chunks/a/b.js', moduleId: id }), 'new URL("../../", import.meta.url).href');
    assert.equal(plugin.resolveImportMeta('url', { chunkId: 'chunks/x.js', moduleId: '/repo/src/player/create-player.ts' }), null);
  });
});
