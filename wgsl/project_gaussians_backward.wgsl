// Chains the per-Gaussian image-space gradients (grad2d from rasterize_backward) back through
// project_gaussians to the 3D mean and the isotropic σ; colour and opacity gradients pass
// straight through. Culled Gaussians get zero gradients. Outputs are overwritten, not added to.
@group(0) @binding(1) var<storage, read> means: array<f32>;
@group(0) @binding(2) var<storage, read> scales: array<f32>;
@group(0) @binding(3) var<storage, read> grad2d: array<f32>;            // 9 per Gaussian
@group(0) @binding(4) var<storage, read_write> gradMeans: array<f32>;   // N×3
@group(0) @binding(5) var<storage, read_write> gradScales: array<f32>;  // N
@group(0) @binding(6) var<storage, read_write> gradColors: array<f32>;  // N×3
@group(0) @binding(7) var<storage, read_write> gradOpacities: array<f32>; // N

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= frame.count) { return; }
  let g = 9u * i;
  gradColors[3u * i] = grad2d[g + 5u];
  gradColors[3u * i + 1u] = grad2d[g + 6u];
  gradColors[3u * i + 2u] = grad2d[g + 7u];
  gradOpacities[i] = grad2d[g + 8u];
  gradMeans[3u * i] = 0.0;
  gradMeans[3u * i + 1u] = 0.0;
  gradMeans[3u * i + 2u] = 0.0;
  gradScales[i] = 0.0;

  // Recompute the forward projection (same helpers, same culling decisions).
  let mean = vec3f(means[3u * i], means[3u * i + 1u], means[3u * i + 2u]);
  let sigma = scales[i];
  let t = (frame.view * vec4f(mean, 1.0)).xyz;
  if (!(t.z >= frame.near)) { return; }
  let rows = projectionRows(t);
  let cov = projectedCovariance(rows, sigma);
  let det = cov.x * cov.z - cov.y * cov.y;
  if (!(det > 0.0)) { return; }
  let xy = pixelPosition(t);
  if (tileCount(tileRect(xy, splatRadius(cov))) == 0u) { return; }
  let inv = 1.0 / det;
  let A = cov.z * inv;
  let B = -cov.y * inv;
  let C = cov.x * inv;

  // conic Q = Σ'⁻¹: ∂L/∂Σ' = −Q·Gq·Q with Gq = [[gA, gB/2], [gB/2, gC]]; b sits in both off-diagonals.
  let gA = grad2d[g + 2u];
  let gB = grad2d[g + 3u] * 0.5;
  let gC = grad2d[g + 4u];
  let q0 = vec2f(A, B);
  let q1 = vec2f(B, C);
  let gq0 = vec2f(gA * A + gB * B, gA * B + gB * C);   // rows of Gq·Q
  let gq1 = vec2f(gB * A + gC * B, gB * B + gC * C);
  let dCovA = -(q0.x * gq0.x + q0.y * gq1.x);
  let dCovB = -2.0 * (q0.x * gq0.y + q0.y * gq1.y);
  let dCovC = -(q1.x * gq0.y + q1.y * gq1.y);

  // cov = σ²·M·Mᵀ + 0.3·I, M rows m0, m1.
  let s2 = sigma * sigma;
  let m0 = rows.m0;
  let m1 = rows.m1;
  gradScales[i] = 2.0 * sigma * (dCovA * dot(m0, m0) + dCovB * dot(m0, m1) + dCovC * dot(m1, m1));
  let dM0 = s2 * (2.0 * dCovA * m0 + dCovB * m1);
  let dM1 = s2 * (dCovB * m0 + 2.0 * dCovC * m1);
  let w = viewRotation();
  let dJ0 = w * dM0;                          // M row r = J row r · W
  let dJ1 = w * dM1;

  // J = [[fx/z, 0, −fx·cx(x/z)/z], [0, fy/z, −fy·cy(y/z)/z]], cx/cy the clamps.
  let fx = frame.focal.x;
  let fy = frame.focal.y;
  let z = t.z;
  let xz = t.x / z;
  let yz = t.y / z;
  var dT = vec3f(0.0);
  dT.z += -fx / (z * z) * dJ0.x - fy / (z * z) * dJ1.y;
  if (xz >= frame.clampLo.x && xz <= frame.clampHi.x) {
    dT.x += -fx / (z * z) * dJ0.z;
    dT.z += 2.0 * fx * t.x / (z * z * z) * dJ0.z;
  } else {
    dT.z += fx * clamp(xz, frame.clampLo.x, frame.clampHi.x) / (z * z) * dJ0.z;
  }
  if (yz >= frame.clampLo.y && yz <= frame.clampHi.y) {
    dT.y += -fy / (z * z) * dJ1.z;
    dT.z += 2.0 * fy * t.y / (z * z * z) * dJ1.z;
  } else {
    dT.z += fy * clamp(yz, frame.clampLo.y, frame.clampHi.y) / (z * z) * dJ1.z;
  }

  // Pixel mean u = fx·x/z + cx, v = fy·y/z + cy.
  let du = grad2d[g];
  let dv = grad2d[g + 1u];
  dT.x += fx / z * du;
  dT.y += fy / z * dv;
  dT.z += -fx * t.x / (z * z) * du - fy * t.y / (z * z) * dv;

  let dMean = dT * w;                         // Wᵀ·∂L/∂t
  gradMeans[3u * i] = dMean.x;
  gradMeans[3u * i + 1u] = dMean.y;
  gradMeans[3u * i + 2u] = dMean.z;
}
