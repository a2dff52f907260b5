// web-test-runner plugin for benchmarks: lets a bench in the browser write a result file (a PNG
// panel, a table) under build/bench/ and read the bench settings given on the command line
// (environment variables set by scripts/bench.mjs). Commands, from the browser:
//   executeServerCommand('bench-write-file', { name, base64 }) → the path written
//   executeServerCommand('bench-env') → { quick, realClip, training }
// (training: BENCH_TRAINING, JSON of extra trainAvatar options for bench:real, e.g. '{"maxOffset":0.08}')
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** The real clip of ../shared/testdata/real (not part of the package), if this checkout has it. */
export const REAL_CLIP = join(root, '..', 'shared', 'testdata', 'real', 'dance.mp4');

export function benchFilesPlugin() {
  return {
    name: 'bench-files',
    executeCommand({ command, payload }) {
      if (command === 'bench-write-file') {
        const name = basename(String(payload?.name ?? ''));
        if (!/^[\w.-]+$/.test(name)) throw new Error(`bench-write-file: bad file name ${JSON.stringify(payload?.name)}`);
        const dir = join(root, 'build', 'bench');
        mkdirSync(dir, { recursive: true });
        const path = join(dir, name);
        writeFileSync(path, Buffer.from(String(payload.base64 ?? ''), 'base64'));
        return path;
      }
      if (command === 'bench-env') {
        // The clip is served from outside the root through the dev server's outside-root prefix (one level up).
        return {
          quick: process.env.BENCH_QUICK === '1',
          training: process.env.BENCH_TRAINING ? JSON.parse(process.env.BENCH_TRAINING) : null,
          realClip: existsSync(REAL_CLIP) ? '/__wds-outside-root__/1/shared/testdata/real/dance.mp4' : null,
        };
      }
      return undefined;
    },
  };
}
