// Forward kinematics over a kinematic tree (parents[j] < j, root first) and its reverse mode.
// Local rotations: row-major 3×3 (f64 J×9). Global transforms G: 3×4 row-major (f64 J×12),
// G_0 = [R_0 | J_0], G_j = G_parent · [R_j | J_j − J_parent].

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function add(p: usize, i: i32, v: f64): void { const q = p + (<usize>i << 3); store<f64>(q, load<f64>(q) + v); }
@inline function parentOf(parents: usize, j: i32): i32 { return load<i32>(parents + (<usize>j << 2)); }

export function forwardKinematics(J: i32, parents: usize, rot: usize, jRest: usize, G: usize): void {
  for (let j = 0; j < J; j++) {
    const R = rot + (<usize>(j * 9) << 3);
    const g = G + (<usize>(j * 12) << 3);
    const p = j == 0 ? -1 : parentOf(parents, j);
    if (p < 0) {
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) st(g, r * 4 + c, ld(R, r * 3 + c));
        st(g, r * 4 + 3, ld(jRest, j * 3 + r));
      }
      continue;
    }
    const gp = G + (<usize>(p * 12) << 3);
    const tx = ld(jRest, j * 3) - ld(jRest, p * 3);
    const ty = ld(jRest, j * 3 + 1) - ld(jRest, p * 3 + 1);
    const tz = ld(jRest, j * 3 + 2) - ld(jRest, p * 3 + 2);
    for (let r = 0; r < 3; r++) {
      const p0 = ld(gp, r * 4), p1 = ld(gp, r * 4 + 1), p2 = ld(gp, r * 4 + 2);
      for (let c = 0; c < 3; c++) st(g, r * 4 + c, p0 * ld(R, c) + p1 * ld(R, 3 + c) + p2 * ld(R, 6 + c));
      st(g, r * 4 + 3, p0 * tx + p1 * ty + p2 * tz + ld(gp, r * 4 + 3));
    }
  }
}

/**
 * Reverse mode of `forwardKinematics`. `gG` (J×12) holds ∂L/∂G on entry and is consumed (children
 * push their gradient into their parent's slot). Writes ∂L/∂R into `gRot` (J×9) and ADDS ∂L/∂J_rest
 * into `gJRest` (J×3).
 */
export function forwardKinematicsBackward(
  J: i32, parents: usize, rot: usize, jRest: usize, G: usize, gG: usize, gRot: usize, gJRest: usize,
): void {
  for (let j = J - 1; j >= 0; j--) {
    const gg = gG + (<usize>(j * 12) << 3);
    const gR = gRot + (<usize>(j * 9) << 3);
    const p = j == 0 ? -1 : parentOf(parents, j);
    if (p < 0) {
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) st(gR, r * 3 + c, ld(gg, r * 4 + c));
        add(gJRest, j * 3 + r, ld(gg, r * 4 + 3));
      }
      continue;
    }
    const R = rot + (<usize>(j * 9) << 3);
    const gp = G + (<usize>(p * 12) << 3);
    const ggp = gG + (<usize>(p * 12) << 3);
    const t0 = ld(jRest, j * 3) - ld(jRest, p * 3);
    const t1 = ld(jRest, j * 3 + 1) - ld(jRest, p * 3 + 1);
    const t2 = ld(jRest, j * 3 + 2) - ld(jRest, p * 3 + 2);
    // G_j rot = Gp_rot·R_j ; G_j t = Gp_rot·t_j + Gp_t
    // ∂R_j = Gp_rotᵀ·∂Gj_rot ; ∂t_j = Gp_rotᵀ·∂Gj_t
    for (let a = 0; a < 3; a++) {
      for (let c = 0; c < 3; c++) {
        st(gR, a * 3 + c, ld(gp, a) * ld(gg, c) + ld(gp, 4 + a) * ld(gg, 4 + c) + ld(gp, 8 + a) * ld(gg, 8 + c));
      }
      const gt = ld(gp, a) * ld(gg, 3) + ld(gp, 4 + a) * ld(gg, 7) + ld(gp, 8 + a) * ld(gg, 11);
      add(gJRest, j * 3 + a, gt);
      add(gJRest, p * 3 + a, -gt);
    }
    // ∂Gp_rot += ∂Gj_rot·R_jᵀ + ∂Gj_t·t_jᵀ ; ∂Gp_t += ∂Gj_t
    for (let r = 0; r < 3; r++) {
      const g0 = ld(gg, r * 4), g1 = ld(gg, r * 4 + 1), g2 = ld(gg, r * 4 + 2), gt = ld(gg, r * 4 + 3);
      for (let a = 0; a < 3; a++) {
        add(ggp, r * 4 + a, g0 * ld(R, a * 3) + g1 * ld(R, a * 3 + 1) + g2 * ld(R, a * 3 + 2) + gt * (a == 0 ? t0 : a == 1 ? t1 : t2));
      }
      add(ggp, r * 4 + 3, gt);
    }
  }
}
