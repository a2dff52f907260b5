/**
 * Loading speed of SMPL-family .npz files: SMPL-sized (V=6890, J=24, B=10, P=207) and SMPL-X-sized
 * (V=10475, J=55, B=10, P=486) random models written as float64 (like the official files), stored
 * (np.savez) and deflated (np.savez_compressed). Prints ms per stage (median). Never asserts.
 */
import os from 'node:os';
import { readNpz } from '../../src/io/npz.js';
import { SMPL_NPZ_FIELDS, smplDataFromNpz } from '../../src/body/smpl-npz-data.js';
import { createBodyModel } from '../../src/body/body-model.js';
import { randomBodyData } from '../helpers/random-body.js';
import { smplNpz } from '../helpers/smpl-npz.js';

function medianMs(runs: number, fn: () => unknown): number {
  fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

console.log(`\nloadSmplModel stages — node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.platform()} ${os.arch()})`);
console.log('median ms over 5 runs; float64 files\n');
console.log('| model | file | size MB | readNpz ms | smplDataFromNpz ms | createBodyModel ms |');
console.log('|---|---|---|---|---|---|');
for (const [name, V, J] of [['SMPL-sized', 6890, 24], ['SMPL-X-sized', 10475, 55]] as const) {
  const data = randomBodyData({ numVertices: V, numJoints: J, numBetas: 10, seed: 1 });
  for (const level of [0, 6] as const) {
    const bytes = smplNpz(data, { floatDtype: '<f8', level });
    const arrays = readNpz(bytes, { only: SMPL_NPZ_FIELDS });
    const modelData = smplDataFromNpz(arrays);
    const read = medianMs(5, () => readNpz(bytes, { only: SMPL_NPZ_FIELDS }));
    const convert = medianMs(5, () => smplDataFromNpz(arrays));
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const model = await createBodyModel(modelData);
      times.push(performance.now() - t0);
      model.dispose();
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} V=${V} J=${J} | ${level ? 'deflated' : 'stored'} | ${(bytes.length / 1e6).toFixed(1)} | ${read.toFixed(1)} | ${convert.toFixed(1)} | ${times[2]!.toFixed(1)} |`);
  }
}
