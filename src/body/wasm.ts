/**
 * The body-model WebAssembly (compiled from asm/ and inlined as base64 by scripts/build-wasm.mjs),
 * instantiated once per JS realm and shared by every BodyModel and the pose math. Works in Node ≥ 20,
 * browsers and workers: no fetch, asynchronous compile (browsers refuse large synchronous ones).
 */
import { BODY_WASM_BASE64 } from './wasm-binary.generated.js';

/** Raw exports of body.wasm. Pointers are byte offsets into `memory`; sizes are element counts. */
export interface BodyWasmExports {
  memory: WebAssembly.Memory;
  allocF32(count: number): number;
  allocF64(count: number): number;
  freeBuffer(ptr: number): void;
  createBody(numVertices: number, numJoints: number, numBetas: number, numPoseFeatures: number, nonZeroWeights: number): number;
  disposeBody(desc: number): void;
  precomputeJoints(desc: number): void;
  bodyForward(desc: number): void;
  bodyForwardTransforms(desc: number): void;
  bodyBackward(desc: number): void;
  bodyBackwardTransforms(desc: number): void;
  axisAnglesToMatrices(n: number, aa: number, out: number): void;
  matricesToAxisAngles(n: number, m: number, out: number): void;
  axisAnglesToQuats(n: number, aa: number, out: number): void;
  quatsToAxisAngles(n: number, q: number, out: number): void;
  quatsToMatrices(n: number, q: number, out: number): void;
  matricesToQuats(n: number, m: number, out: number): void;
  rot6dsToMatrices(n: number, d: number, out: number): void;
  matricesToRot6ds(n: number, m: number, out: number): void;
  quatsSlerp(n: number, a: number, b: number, t: number, out: number): void;
  forwardKinematicsBatch(J: number, rot: number, jRest: number, parents: number, scratch: number, out: number): void;
}

/** Index of each field in a body descriptor (asm/body_layout.ts), read from the module's globals. */
export type BodyField =
  | 'F_V' | 'F_J' | 'F_B' | 'F_BP' | 'F_P' | 'F_PP' | 'F_NNZ' | 'F_V_TEMPLATE' | 'F_SHAPEDIRS' | 'F_POSEDIRS'
  | 'F_PARENTS' | 'F_W_START' | 'F_W_JOINT' | 'F_W_VALUE' | 'F_J_REGRESSOR' | 'F_BETAS' | 'F_POSE' | 'F_TRANS'
  | 'F_GRAD_VERTS' | 'F_GRAD_TRANSFORMS' | 'F_OUT_VERTS' | 'F_OUT_JOINTS' | 'F_OUT_TRANSFORMS' | 'F_GRAD_POSE'
  | 'F_GRAD_TRANS' | 'F_GRAD_BETAS' | 'F_COUNT';

/** The instantiated module plus typed-array views that are always fresh (memory may have grown). */
export class BodyWasm {
  constructor(readonly exports: BodyWasmExports, private readonly instance: WebAssembly.Instance) {}

  /** Descriptor field index, e.g. `field('F_OUT_VERTS')`. */
  field(name: BodyField): number {
    return (this.instance.exports[name] as WebAssembly.Global).value as number;
  }
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, ptr, length);
  }
  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, length);
  }
  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, ptr, length);
  }
}

let loading: Promise<BodyWasm> | undefined;

/** Instantiates body.wasm on first use; later calls return the same instance. */
export function loadBodyWasm(): Promise<BodyWasm> {
  loading ??= instantiate().catch((error: unknown) => {
    loading = undefined; // let a later call retry
    throw error;
  });
  return loading;
}

async function instantiate(): Promise<BodyWasm> {
  const bytes = decodeBase64(BODY_WASM_BASE64);
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      // AssemblyScript's abort(message, file, line, column): only reachable through a bug.
      abort(messagePtr: number, filePtr: number, line: number, column: number): never {
        const text = memory ? `${readString(memory, messagePtr)} (${readString(memory, filePtr)}:${line}:${column})` : '';
        throw new Error(`body.wasm aborted: ${text}`);
      },
    },
  };
  const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  const instance = await WebAssembly.instantiate(module, imports);
  const exports = instance.exports as unknown as BodyWasmExports;
  memory = exports.memory;
  return new BodyWasm(exports, instance);
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** An AssemblyScript string: UTF-16 code units, byte length stored 4 bytes before the pointer. */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const byteLength = new Uint32Array(memory.buffer, ptr - 4, 1)[0]!;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, byteLength >>> 1));
}
