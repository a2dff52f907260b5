// One body model lives in linear memory as a descriptor: an i32 table of sizes and buffer offsets
// (indices below). JS reads the offsets once per model to copy data in and read results out.
import { allocZeroed32, freeBuffer } from './memory';

// sizes
export const F_V: i32 = 0;            // vertices
export const F_J: i32 = 1;            // joints
export const F_B: i32 = 2;            // betas
export const F_BP: i32 = 3;           // betas padded to a multiple of 4 (row stride of shapedirs)
export const F_P: i32 = 4;            // pose-blend features 9(J−1), or 0 without posedirs
export const F_PP: i32 = 5;           // P padded to a multiple of 8 (row stride of posedirs)
export const F_NNZ: i32 = 6;          // non-zero skinning weights
// model data (filled by JS at creation)
export const F_V_TEMPLATE: i32 = 7;   // f32 V×3
export const F_SHAPEDIRS: i32 = 8;    // f32 (V·3)×BP, zero padded
export const F_POSEDIRS: i32 = 9;     // f32 (V·3)×PP, zero padded
export const F_J_TEMPLATE: i32 = 10;  // f64 J×3   = J_regressor·v_template
export const F_J_SHAPEDIRS: i32 = 11; // f64 (J·3)×BP = J_regressor·shapedirs
export const F_PARENTS: i32 = 12;     // i32 J
export const F_W_START: i32 = 13;     // i32 V+1  CSR row starts of the skinning weights
export const F_W_JOINT: i32 = 14;     // i32 NNZ  joint of each weight
export const F_W_VALUE: i32 = 15;     // f32 NNZ  the weight
export const F_J_REGRESSOR: i32 = 16; // f32 J×V, only until precomputeJoints() has run
// inputs of one call (filled by JS)
export const F_BETAS: i32 = 17;       // f32 BP, zero padded
export const F_POSE: i32 = 18;        // f64 J×3 axis-angle
export const F_TRANS: i32 = 19;       // f64 3
export const F_GRAD_VERTS: i32 = 20;  // f32 V×3
export const F_GRAD_TRANSFORMS: i32 = 21; // f32 J×16 column-major
// intermediates
export const F_ROT: i32 = 22;         // f64 J×9 local rotations, row-major
export const F_J_REST: i32 = 23;      // f64 J×3 rest joints of the shaped body
export const F_G: i32 = 24;           // f64 J×12 global transforms, 3×4 row-major
export const F_A: i32 = 25;           // f32 J×12 skinning matrices (without trans), 3×4 row-major
export const F_FEATURE: i32 = 26;     // f32 PP pose-blend feature, zero padded
export const F_V_POSED: i32 = 27;     // f32 V×3
export const F_GRAD_A: i32 = 28;      // f64 J×12
export const F_GRAD_FEATURE: i32 = 29; // f32 PP
export const F_GRAD_ROT: i32 = 30;    // f64 J×9
export const F_GRAD_J_REST: i32 = 31; // f64 J×3
export const F_GRAD_G: i32 = 32;      // f64 J×12
export const F_GRAD_BETAS_ACC: i32 = 33; // f32 BP
// outputs
export const F_OUT_VERTS: i32 = 34;   // f32 V×3
export const F_OUT_JOINTS: i32 = 35;  // f32 J×3
export const F_OUT_TRANSFORMS: i32 = 36; // f32 J×16 column-major, trans folded in
export const F_GRAD_POSE: i32 = 37;   // f32 J×3
export const F_GRAD_TRANS: i32 = 38;  // f32 3
export const F_GRAD_BETAS: i32 = 39;  // f32 B
export const F_GRAD_V_POSED: i32 = 40; // f32 V×3
export const F_COUNT: i32 = 41;
const FIRST_BUFFER: i32 = F_V_TEMPLATE;

@inline export function size(desc: usize, f: i32): i32 {
  return load<i32>(desc + (<usize>f << 2));
}
@inline export function buf(desc: usize, f: i32): usize {
  return <usize>load<i32>(desc + (<usize>f << 2));
}
@inline function put(desc: usize, f: i32, v: usize): void {
  store<i32>(desc + (<usize>f << 2), <i32>v);
}

// 4-byte (f32 / i32) and 8-byte (f64) slots, zero-filled
@inline function slots32(count: i32): usize { return allocZeroed32(count); }
@inline function slots64(count: i32): usize { return allocZeroed32(count * 2); }

/** Allocates a model descriptor and all its buffers (zero-filled: the SIMD padding relies on it). */
export function createBody(V: i32, J: i32, B: i32, P: i32, nnz: i32): usize {
  const desc = allocZeroed32(F_COUNT);
  const BP = (B + 3) & ~3, PP = (P + 7) & ~7;
  put(desc, F_V, V); put(desc, F_J, J); put(desc, F_B, B); put(desc, F_BP, BP);
  put(desc, F_P, P); put(desc, F_PP, PP); put(desc, F_NNZ, nnz);
  put(desc, F_V_TEMPLATE, slots32(V * 3));
  put(desc, F_SHAPEDIRS, slots32(V * 3 * BP));
  put(desc, F_POSEDIRS, slots32(V * 3 * PP));
  put(desc, F_J_TEMPLATE, slots64(J * 3));
  put(desc, F_J_SHAPEDIRS, slots64(J * 3 * BP));
  put(desc, F_PARENTS, slots32(J));
  put(desc, F_W_START, slots32(V + 1));
  put(desc, F_W_JOINT, slots32(nnz));
  put(desc, F_W_VALUE, slots32(nnz));
  put(desc, F_J_REGRESSOR, slots32(J * V));
  put(desc, F_BETAS, slots32(BP));
  put(desc, F_POSE, slots64(J * 3));
  put(desc, F_TRANS, slots64(3));
  put(desc, F_GRAD_VERTS, slots32(V * 3));
  put(desc, F_GRAD_TRANSFORMS, slots32(J * 16));
  put(desc, F_ROT, slots64(J * 9));
  put(desc, F_J_REST, slots64(J * 3));
  put(desc, F_G, slots64(J * 12));
  put(desc, F_A, slots32(J * 12));
  put(desc, F_FEATURE, slots32(PP));
  put(desc, F_V_POSED, slots32(V * 3));
  put(desc, F_GRAD_A, slots64(J * 12));
  put(desc, F_GRAD_FEATURE, slots32(PP));
  put(desc, F_GRAD_ROT, slots64(J * 9));
  put(desc, F_GRAD_J_REST, slots64(J * 3));
  put(desc, F_GRAD_G, slots64(J * 12));
  put(desc, F_GRAD_BETAS_ACC, slots32(BP));
  put(desc, F_OUT_VERTS, slots32(V * 3));
  put(desc, F_OUT_JOINTS, slots32(J * 3));
  put(desc, F_OUT_TRANSFORMS, slots32(J * 16));
  put(desc, F_GRAD_POSE, slots32(J * 3));
  put(desc, F_GRAD_TRANS, slots32(3));
  put(desc, F_GRAD_BETAS, slots32(B));
  put(desc, F_GRAD_V_POSED, slots32(V * 3));
  return desc;
}

/** Frees the descriptor and every buffer it owns. */
export function disposeBody(desc: usize): void {
  for (let f = FIRST_BUFFER; f < F_COUNT; f++) freeBuffer(buf(desc, f));
  freeBuffer(desc);
}

