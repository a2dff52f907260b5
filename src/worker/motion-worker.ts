/**
 * The motion worker: `parseMotion` off the page's main thread, so a large file (a 64 MiB BVH takes
 * about a second to parse) leaves the page responsive. The file's bytes are transferred in and the
 * Motion's arrays transferred back; errors cross by name (src/player/revive-error.ts).
 */
import * as Comlink from 'comlink';
import { parseMotion } from '../motion/parse-motion.js';
import type { Motion, ParseMotionOptions } from '../motion/types.js';

export interface MotionWorkerApi {
  /** parseMotion(bytes, options), with the result's arrays transferred. */
  parse(bytes: Uint8Array, options: ParseMotionOptions): Motion;
}

const api: MotionWorkerApi = {
  parse(bytes, options) {
    const motion = parseMotion(bytes, options);
    const buffers = [motion.poses.buffer, motion.trans.buffer];
    if (motion.betas) buffers.push(motion.betas.buffer);
    return Comlink.transfer(motion, buffers as ArrayBuffer[]);
  },
};

Comlink.expose(api);
