// One keypoint-fit problem lives in linear memory as a descriptor, like a body model (body_layout.ts):
// an i32 table of sizes and buffer offsets. JS fills the inputs, calls fitObjective, reads the outputs.
import { allocZeroed32, freeBuffer } from './memory';

// sizes
export const FT_FRAMES: i32 = 0;       // F
export const FT_LANDMARKS: i32 = 1;    // K (33 for MediaPipe Pose)
export const FT_ENTRIES: i32 = 2;      // E: terms of all landmark definitions
export const FT_BETAS: i32 = 3;        // B
export const FT_JOINTS: i32 = 4;       // J
export const FT_PARAM_COUNT: i32 = 5;  // B + 1 + F·(3J + 3)
// inputs (filled by JS)
export const FT_PARAMS: i32 = 6;       // f64: [β (B)] [log focal (1)] then per frame [pose (3J)] [trans (3)]
export const FT_KP2D: i32 = 7;         // f64 F×K×3: u, v (pixels), confidence (0 = ignore)
export const FT_KP3D: i32 = 8;         // f64 F×K×4: x, y, z (m, hip-centred, camera axes), confidence
export const FT_ENTRY_START: i32 = 9;  // i32 K+1: first term of each landmark
export const FT_ENTRY_SOURCE: i32 = 10; // i32 E: joint j ≥ 0, or vertex v as −1 − v
export const FT_ENTRY_WEIGHT: i32 = 11; // f64 E: landmark = Σ weight · source point
export const FT_LANDMARK_WEIGHT: i32 = 12; // f64 K: per-landmark multiplier of the data terms
export const FT_POSE_WEIGHT: i32 = 13; // f64 3J: L2 pose prior weight per axis-angle component
export const FT_LIMIT_SIGN: i32 = 14;  // f64 3J: +1 penalise positive values, −1 negative, 0 none
export const FT_WEIGHTS: i32 = 15;     // f64 W_COUNT scalar weights (below)
// outputs
export const FT_GRAD: i32 = 16;        // f64, same layout as PARAMS
export const FT_TERMS: i32 = 17;       // f64 T_COUNT: each term's value (the loss is their sum)
export const FT_FRAME_ERROR: i32 = 18; // f64 F: mean reprojection error (px) over visible mapped landmarks
// scratch
export const FT_POINTS: i32 = 19;      // f64 K×3 landmark positions (camera frame)
export const FT_GRAD_POINTS: i32 = 20; // f64 K×3
export const FT_A: i32 = 21;           // f64 J×12 skinning matrices [G_rot | G_t − G_rot·J_rest]
export const FT_GRAD_A: i32 = 22;      // f64 J×12
export const FT_GRAD_G: i32 = 23;      // f64 J×12
export const FT_GRAD_ROT: i32 = 24;    // f64 J×9
export const FT_GRAD_J_REST: i32 = 25; // f64 J×3
export const FT_GRAD_FEATURE: i32 = 26; // f64 9(J−1)
export const FT_COUNT: i32 = 27;
const FIRST_BUFFER: i32 = FT_PARAMS;

// scalar weights (FT_WEIGHTS)
export const W_2D: i32 = 0;            // reprojection term weight (per px²-like unit of ρ)
export const W_SIGMA_2D: i32 = 1;      // Geman–McClure scale σ, pixels
export const W_3D: i32 = 2;            // root-relative 3D landmark term weight
export const W_SIGMA_3D: i32 = 3;      // its Geman–McClure scale, metres
export const W_LIMIT: i32 = 4;         // joint-limit hinge weight
export const W_SHAPE: i32 = 5;         // ‖β‖² weight
export const W_SMOOTH_POSE: i32 = 6;   // Σ‖θ_f − θ_(f−1)‖² weight
export const W_SMOOTH_TRANS: i32 = 7;  // Σ‖t_f − t_(f−1)‖² weight
export const W_FOCAL: i32 = 8;         // (log f − log f₀)² weight
export const W_LOG_FOCAL_PRIOR: i32 = 9; // log f₀
export const W_CX: i32 = 10;           // principal point, pixels
export const W_CY: i32 = 11;
export const W_HIP_LEFT: i32 = 12;     // landmark indices whose mean is the 3D term's root
export const W_HIP_RIGHT: i32 = 13;
export const W_3D_IMAGE_PLANE: i32 = 14; // share of the 3D residual's camera-x/y part (depth keeps 1)
export const W_COUNT: i32 = 15;

// terms (FT_TERMS)
export const T_2D: i32 = 0;
export const T_3D: i32 = 1;
export const T_POSE: i32 = 2;
export const T_LIMIT: i32 = 3;
export const T_SHAPE: i32 = 4;
export const T_SMOOTH_POSE: i32 = 5;
export const T_SMOOTH_TRANS: i32 = 6;
export const T_FOCAL: i32 = 7;
export const T_COUNT: i32 = 8;

@inline export function fsize(desc: usize, f: i32): i32 {
  return load<i32>(desc + (<usize>f << 2));
}
@inline export function fbuf(desc: usize, f: i32): usize {
  return <usize>load<i32>(desc + (<usize>f << 2));
}
@inline function put(desc: usize, f: i32, v: usize): void {
  store<i32>(desc + (<usize>f << 2), <i32>v);
}
@inline function slots64(count: i32): usize { return allocZeroed32(count * 2); }

/** Allocates a fit descriptor for F frames, K landmarks defined by E terms, B betas and J joints. */
export function createFit(F: i32, K: i32, E: i32, B: i32, J: i32): usize {
  const desc = allocZeroed32(FT_COUNT);
  const N = B + 1 + F * (3 * J + 3);
  put(desc, FT_FRAMES, F); put(desc, FT_LANDMARKS, K); put(desc, FT_ENTRIES, E);
  put(desc, FT_BETAS, B); put(desc, FT_JOINTS, J); put(desc, FT_PARAM_COUNT, N);
  put(desc, FT_PARAMS, slots64(N));
  put(desc, FT_KP2D, slots64(F * K * 3));
  put(desc, FT_KP3D, slots64(F * K * 4));
  put(desc, FT_ENTRY_START, allocZeroed32(K + 1));
  put(desc, FT_ENTRY_SOURCE, allocZeroed32(E));
  put(desc, FT_ENTRY_WEIGHT, slots64(E));
  put(desc, FT_LANDMARK_WEIGHT, slots64(K));
  put(desc, FT_POSE_WEIGHT, slots64(3 * J));
  put(desc, FT_LIMIT_SIGN, slots64(3 * J));
  put(desc, FT_WEIGHTS, slots64(W_COUNT));
  put(desc, FT_GRAD, slots64(N));
  put(desc, FT_TERMS, slots64(T_COUNT));
  put(desc, FT_FRAME_ERROR, slots64(F));
  put(desc, FT_POINTS, slots64(K * 3));
  put(desc, FT_GRAD_POINTS, slots64(K * 3));
  put(desc, FT_A, slots64(J * 12));
  put(desc, FT_GRAD_A, slots64(J * 12));
  put(desc, FT_GRAD_G, slots64(J * 12));
  put(desc, FT_GRAD_ROT, slots64(J * 9));
  put(desc, FT_GRAD_J_REST, slots64(J * 3));
  put(desc, FT_GRAD_FEATURE, slots64(9 * max(J - 1, 1)));
  return desc;
}

/** Frees the descriptor and every buffer it owns. */
export function disposeFit(desc: usize): void {
  for (let f = FIRST_BUFFER; f < FT_COUNT; f++) freeBuffer(fbuf(desc, f));
  freeBuffer(desc);
}
