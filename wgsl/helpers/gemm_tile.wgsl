// Tiled matrix products C = A · B for the dense-layer kernels (matmul_*.wgsl): each 16 × 16
// workgroup computes one 64 × 64 block of C, 4 × 4 values per thread (acc[r][c] is C at row
// row0 + local.y + 16 r, column col0 + local.x + 16 c), stepping over the shared dimension K in
// slices of 16 that the 256 threads stage in workgroup memory. The including kernel defines its
// operands as functions, called only for k inside the range being summed:
//   fn gemm_a(row: u32, k: u32) -> f32      (0 for rows past the end)
//   fn gemm_b(k: u32, col: u32) -> f32      (0 for columns past the end)
// and says for each operand which way the threads walk a slice: along k (`*_k_fastest`, when k is
// contiguous in memory) or along the rows / columns, so that neighbouring threads read neighbouring
// values. Call from uniform control flow (the functions hold barriers).

const GEMM_TILE: u32 = 64u;
const GEMM_TILE_K: u32 = 16u;

var<workgroup> gemm_a_tile: array<f32, 1024>; // [64 rows][16 k]
var<workgroup> gemm_b_tile: array<f32, 1024>; // [16 k][64 columns]

/** Stages A[row0…+63][k0…+15] and B[k0…+15][col0…+63] (zeros at k ≥ k_end). Thread t = local_invocation_index. */
fn gemm_load_slice(row0: u32, col0: u32, k0: u32, k_end: u32, t: u32, a_k_fastest: bool, b_k_fastest: bool) {
  for (var m = 0u; m < 4u; m++) {
    let e = t + 256u * m;
    let a_row = select(e % GEMM_TILE, e / GEMM_TILE_K, a_k_fastest);
    let a_k = select(e / GEMM_TILE, e % GEMM_TILE_K, a_k_fastest);
    var a = 0.0;
    if (k0 + a_k < k_end) { a = gemm_a(row0 + a_row, k0 + a_k); }
    gemm_a_tile[a_row * GEMM_TILE_K + a_k] = a;
    let b_col = select(e % GEMM_TILE, e / GEMM_TILE_K, b_k_fastest);
    let b_k = select(e / GEMM_TILE, e % GEMM_TILE_K, b_k_fastest);
    var b = 0.0;
    if (k0 + b_k < k_end) { b = gemm_b(k0 + b_k, col0 + b_col); }
    gemm_b_tile[b_k * GEMM_TILE + b_col] = b;
  }
}

/** acc += the staged slice's product, for this thread's 4 × 4 values. */
fn gemm_multiply_slice(acc: ptr<function, array<vec4f, 4>>, local: vec2u) {
  for (var k = 0u; k < GEMM_TILE_K; k++) {
    let b = gemm_b_row(k, local);
    (*acc)[0] = fma(vec4f(gemm_a_tile[(local.y + 0u) * GEMM_TILE_K + k]), b, (*acc)[0]);
    (*acc)[1] = fma(vec4f(gemm_a_tile[(local.y + 16u) * GEMM_TILE_K + k]), b, (*acc)[1]);
    (*acc)[2] = fma(vec4f(gemm_a_tile[(local.y + 32u) * GEMM_TILE_K + k]), b, (*acc)[2]);
    (*acc)[3] = fma(vec4f(gemm_a_tile[(local.y + 48u) * GEMM_TILE_K + k]), b, (*acc)[3]);
  }
}

/** The staged B values of slice row k at this thread's 4 columns. */
fn gemm_b_row(k: u32, local: vec2u) -> vec4f {
  let at = k * GEMM_TILE + local.x;
  return vec4f(gemm_b_tile[at], gemm_b_tile[at + 16u], gemm_b_tile[at + 32u], gemm_b_tile[at + 48u]);
}

/** This thread's 4 × 4 values of Σ_{k_begin ≤ k < k_end} A[row][k] · B[k][col] over the block at (row0, col0). */
fn gemm_tile(row0: u32, col0: u32, k_begin: u32, k_end: u32, t: u32, local: vec2u, a_k_fastest: bool, b_k_fastest: bool) -> array<vec4f, 4> {
  var acc = array<vec4f, 4>(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  for (var k0 = k_begin; k0 < k_end; k0 += GEMM_TILE_K) {
    gemm_load_slice(row0, col0, k0, k_end, t, a_k_fastest, b_k_fastest);
    workgroupBarrier();
    gemm_multiply_slice(&acc, local);
    workgroupBarrier();
  }
  return acc;
}
