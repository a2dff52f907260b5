/**
 * Input limits (src/io/input-limits.ts): time and peak memory to read the largest motions and
 * avatar the default limits accept, and to refuse what they do not (the issue's 149 MB BVH, a BVH
 * declaring 200 000 frames, a .gavatar whose entry inflates to 1 GB). Inputs are generated into
 * build/bench/limits/ (never committed); each case runs in a fresh Node process that reads its
 * file, then parses it: "peak MiB" is the highest RSS during the parse above the RSS before it (a
 * second thread samples it every 2 ms; the file's own bytes excluded), "kept MiB" the JS heap +
 * array buffers the result holds; CPU ms is the process's (steadier than wall time on a shared
 * machine). Prints a table with the machine; never asserts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { zipSync } from 'fflate';
import { loadAvatar, saveAvatar } from '../../src/avatar/avatar-file.js';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { DEFAULT_INPUT_LIMITS } from '../../src/io/input-limits.js';
import { writeNpy } from '../../src/io/npy-write.js';
import { parseMotion } from '../../src/motion/parse-motion.js';
import { saveMotion } from '../../src/motion/motion-json.js';
import { frameRow, mixamoRig, writeBvh } from '../helpers/bvh-fixtures.js';
import { deflatedZeros, rawEntriesOf, writeRawZip } from '../helpers/zip-bomb.js';

const MiB = 2 ** 20;
const here = fileURLToPath(import.meta.url);
const dir = join(here, '..', '..', '..', 'build', 'bench', 'limits');
const MAX_FRAMES = DEFAULT_INPUT_LIMITS.maxMotionFrames;

interface Case {
  name: string;
  file: string;
  /** The parse: its result (held while memory is measured) and a summary of it. */
  run: (bytes: Uint8Array) => Promise<{ result: unknown; summary: string }>;
}

const motionSummary = async (bytes: Uint8Array) => {
  const m = parseMotion(bytes);
  return { result: m, summary: `${m.frameCount} frames at ${m.fps} fps` };
};

const CASES: Case[] = [
  { name: 'largest BVH (mixamo rig, 75 channels, 100 000 frames)', file: 'largest.bvh', run: motionSummary },
  { name: 'largest AMASS npz (SMPL-H float32, 100 000 frames)', file: 'largest.npz', run: motionSummary },
  { name: 'largest JSON motion (100 000 frames)', file: 'largest.json', run: motionSummary },
  {
    name: 'largest .gavatar (weights entry at maxEntryBytes)',
    file: 'largest.gavatar',
    run: async (bytes) => {
      const avatar = await loadAvatar(bytes);
      return { result: avatar, summary: `${avatar.gaussians.count} Gaussians (R = ${avatar.gaussians.resolution})` };
    },
  },
  { name: 'refused: 149 MB BVH', file: 'huge.bvh', run: motionSummary },
  { name: 'refused: BVH declaring 200 000 frames', file: 'claims-200k.bvh', run: motionSummary },
  {
    name: 'refused: .gavatar entry inflating to 1 GB',
    file: 'bomb.gavatar',
    run: async (bytes) => ({ result: await loadAvatar(bytes), summary: 'loaded' }),
  },
];

/** The 75-channel rig's rows: 64 distinct rows of 3-decimal angles, repeated. */
function bvhFile(frames: number, declaredFrames = frames, targetBytes?: number): Buffer {
  const rig = mixamoRig();
  const header = writeBvh(rig, [frameRow(rig)], 1 / 120).replace(/Frames:\s*1\s*\n[\s\S]*$/, `Frames: ${declaredFrames}\nFrame Time: 0.0083333\n`);
  const rows = Array.from({ length: 64 }, (_, r) =>
    Buffer.from(frameRow(rig).map((v, k) => (v + 40 * Math.sin(r * 0.37 + k)).toFixed(3)).join(' ') + '\n'));
  const count = targetBytes ? Math.ceil(targetBytes / rows[0]!.length) : frames;
  return Buffer.concat([Buffer.from(header), ...Array.from({ length: count }, (_, f) => rows[f % rows.length]!)]);
}

/** The largest avatar maxEntryBytes admits: its N×24 float32 skinning weights fill one entry. */
async function largestAvatar(): Promise<Avatar> {
  const small = await createDefaultAvatar({ resolution: 64 });
  const J = small.canonicalTransforms.length / 16;
  const N = Math.floor((DEFAULT_INPUT_LIMITS.maxEntryBytes - 128) / (J * 4));
  const R = Math.ceil(Math.sqrt(N));
  const n = small.gaussians.count;
  const tile = (src: Float32Array, width: number) => {
    const out = new Float32Array(N * width);
    for (let i = 0; i < N; i++) out.set(src.subarray((i % n) * width, (i % n) * width + width), i * width);
    return out;
  };
  const texels = new Uint32Array(N);
  for (let i = 0; i < N; i++) texels[i] = i;
  const g = small.gaussians;
  return {
    ...small,
    gaussians: { resolution: R, count: N, texels, positions: tile(g.positions, 3), weights: tile(g.weights, J), colors: tile(g.colors, 3), scales: tile(g.scales, 1) },
  };
}

async function writeInputs(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const write = (file: string, bytes: Uint8Array) => writeFileSync(join(dir, file), bytes);
  write('largest.bvh', bvhFile(MAX_FRAMES));
  write('huge.bvh', bvhFile(0, 200_000, 149 * MiB));
  write('claims-200k.bvh', bvhFile(1000, 200_000));

  const F = MAX_FRAMES;
  const poses = new Float32Array(F * 156).map((_, i) => Math.sin(i * 0.001) * 0.5);
  const trans = new Float32Array(F * 3).map((_, i) => (i % 3) * 0.01 + i * 1e-6);
  write('largest.npz', zipSync({
    'poses.npy': [writeNpy(poses, [F, 156], 'poses'), { level: 0 }],
    'trans.npy': [writeNpy(trans, [F, 3], 'trans'), { level: 0 }],
    'mocap_framerate.npy': [writeNpy(new Float32Array([120]), [], 'fps'), { level: 0 }],
  }));
  const jsonPoses = new Float32Array(F * 72).map((_, i) => Math.round(Math.sin(i * 0.01) * 1000) / 1000);
  write('largest.json', new TextEncoder().encode(saveMotion({ fps: 30, frameCount: F, poses: jsonPoses, trans: new Float32Array(F * 3), source: 'json' })));

  const avatar = await largestAvatar();
  write('largest.gavatar', saveAvatar(avatar));
  avatar.body.dispose();
  const small = await createDefaultAvatar({ resolution: 64 });
  const name = 'gaussians/weights.npy';
  write('bomb.gavatar', writeRawZip(rawEntriesOf(saveAvatar(small)).map((e) => (e.name === name ? { ...e, data: deflatedZeros(1_000_000_000) } : e))));
  small.body.dispose();
}

/** A second thread that records the process's highest RSS (bytes) into `peak[0]` every 2 ms. */
function startRssSampler(): { peak: Float64Array; stop: () => Promise<number> } {
  const shared = new SharedArrayBuffer(16);
  const peak = new Float64Array(shared, 0, 1);
  const flag = new Int32Array(shared, 8, 1);
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const peak = new Float64Array(workerData, 0, 1), flag = new Int32Array(workerData, 8, 1);
     while (Atomics.load(flag, 0) === 0) { peak[0] = Math.max(peak[0], process.memoryUsage.rss()); Atomics.wait(flag, 0, 0, 2); }`,
    { eval: true, workerData: shared },
  );
  return {
    peak,
    stop: async () => {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await new Promise((resolve) => worker.once('exit', resolve));
      return Math.max(peak[0]!, process.memoryUsage.rss());
    },
  };
}

const heldBytes = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Child process: read one case's file, then time the parse, its peak RSS and what its result holds. */
async function runCase(index: number): Promise<void> {
  const c = CASES[index]!;
  const bytes = readFileSync(join(dir, c.file)); // a Buffer: a Uint8Array, no copy
  globalThis.gc?.();
  const held0 = heldBytes();
  const rss0 = process.memoryUsage.rss();
  const sampler = startRssSampler();
  await new Promise((resolve) => setTimeout(resolve, 20)); // the sampler is running
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let outcome: { result: unknown; summary: string };
  try {
    outcome = await c.run(bytes);
  } catch (e) {
    outcome = { result: undefined, summary: `${(e as Error).name}: ${(e as Error).message}` };
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const peak = (await sampler.stop()) - rss0;
  // V8 keeps the subject of the last successful RegExp match (RegExp.input): the file's text,
  // until any other match. Clear it, and collect twice (array buffers are freed after a GC).
  /$/.exec('');
  for (let k = 0; k < 2; k++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const kept = heldBytes() - held0;
  console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, peak, kept, result: outcome.summary }));
  (outcome.result as Avatar | undefined)?.body?.dispose?.();
}

if (process.argv[2] !== undefined) {
  await runCase(Number(process.argv[2]));
} else {
  const t0 = performance.now();
  if (!process.env.BENCH_REUSE_INPUTS) await writeInputs();
  console.log(`input limits bench — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load avg ${os.loadavg()[0]!.toFixed(1)} (inputs written in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  console.log('Default limits: ' + Object.entries(DEFAULT_INPUT_LIMITS).map(([k, v]) => `${k} ${k.endsWith('Bytes') ? `${v / MiB} MiB` : v}`).join(', '));
  console.log('| case | file MiB | wall ms (cpu ms) | peak MiB | kept MiB | result |');
  console.log('|---|---|---|---|---|---|');
  CASES.forEach((c, i) => {
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', here, String(i)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    let cells: string;
    try {
      const r = JSON.parse(line) as { ms: number; cpuMs: number; peak: number; kept: number; result: string };
      const result = r.result.length > 150 ? `${r.result.slice(0, 147)}…` : r.result;
      cells = `${r.ms.toFixed(0)} (${r.cpuMs.toFixed(0)}) | ${(r.peak / MiB).toFixed(0)} | ${(r.kept / MiB).toFixed(0)} | ${result}`;
    } catch {
      cells = `— | — | — | child failed: ${(child.stderr || line).trim().split('\n').slice(-3).join(' ')}`;
    }
    console.log(`| ${c.name} | ${(statSync(join(dir, c.file)).size / MiB).toFixed(1)} | ${cells} |`);
  });
}
