/**
 * `.gavatar` speed and size: saveAvatar / loadAvatar of default avatars at several resolutions
 * (N ≈ 0.62·R²), plus createDefaultAvatar, exportPly and parsePly. Prints median wall ms and the process CPU ms of the
 * same runs (CPU time is steadier on a shared machine). Never asserts.
 */
import os from 'node:os';
import { loadAvatar, saveAvatar } from '../../src/avatar/avatar-file.js';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { exportPly, parsePly } from '../../src/avatar/ply.js';

async function measure(runs: number, fn: () => unknown): Promise<{ wall: number; cpu: number }> {
  await fn(); // warm-up
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { wall: median(walls), cpu: median(cpus) };
}

console.log(`avatar file bench — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, Node ${process.version}, load avg ${os.loadavg()[0]!.toFixed(1)}`);
console.log('| R | N | createDefaultAvatar ms (cpu) | file MiB | save ms (cpu) | load ms (cpu) | PLY MiB | exportPly ms | parsePly ms |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const resolution of [128, 320, 400]) {
  const create = await measure(3, async () => (await createDefaultAvatar({ resolution })).body.dispose());
  const avatar = await createDefaultAvatar({ resolution });
  const file = saveAvatar(avatar);
  const save = await measure(5, () => saveAvatar(avatar));
  const load = await measure(5, async () => (await loadAvatar(file)).body.dispose());
  const pose = new Float32Array(72).map((_, i) => 0.2 * Math.sin(i));
  const ply = exportPly(avatar, { pose });
  const exp = await measure(3, () => exportPly(avatar, { pose }));
  const parse = await measure(3, () => parsePly(ply));
  const mib = (n: number) => (n / 2 ** 20).toFixed(2);
  console.log(
    `| ${resolution} | ${avatar.gaussians.count} | ${create.wall.toFixed(0)} (${create.cpu.toFixed(0)}) | ${mib(file.length)} | ${save.wall.toFixed(0)} (${save.cpu.toFixed(0)}) | ` +
      `${load.wall.toFixed(0)} (${load.cpu.toFixed(0)}) | ${mib(ply.length)} | ${exp.wall.toFixed(0)} | ${parse.wall.toFixed(0)} |`,
  );
  avatar.body.dispose();
}
