// Per-pixel maths of rasterize_backward*.wgsl: one step of the back-to-front walk over a
// pixel's list. Tᵢ is recovered as Tᵢ₊₁/(1 − αᵢ); `behind` is the colour composited behind the
// current Gaussian per unit of the transmittance in front of it (3DGS's accum_rec).
// The 9 gradients per Gaussian: ∂L/∂(u, v) pixels, ∂L/∂conic (A, B, C), ∂L/∂rgb, ∂L/∂opacity.

const GRADS: u32 = 9u;

struct PixelBackward {
  centre: vec2f,
  finalT: f32,
  dPixel: vec3f,     // ∂L/∂pixel colour
  bgDot: f32,        // background · dPixel
  T: f32,            // transmittance behind the Gaussian being visited
  behind: vec3f,
  nextAlpha: f32,    // α and colour of the Gaussian visited before (the one behind)
  nextColor: vec3f,
}

fn startPixelBackward(centre: vec2f, finalT: f32, dPixel: vec3f) -> PixelBackward {
  return PixelBackward(centre, finalT, dPixel, dot(frame.background.xyz, dPixel), finalT, vec3f(0.0), 0.0, vec3f(0.0));
}

fn readColor(g: u32) -> vec3f {
  return vec3f(colors[3u * g], colors[3u * g + 1u], colors[3u * g + 2u]);
}

// Writes this pixel's gradients w.r.t. Gaussian p into `grads` and returns true, or returns
// false (grads untouched) where the forward skipped p at this pixel.
// The colour of Gaussian g is read only past the α test (most visits skip it).
fn gaussianGradients(px: ptr<function, PixelBackward>, p: Projected, g: u32, grads: ptr<function, array<f32, GRADS>>) -> bool {
  let conic = p.conic;
  let d = (*px).centre - p.xy;
  let power = gaussianPower(conic, d);
  if (power > 0.0 || power < POWER_SKIP) { return false; }
  let G = exp(power);
  let rawAlpha = conic.w * G;
  let alpha = min(ALPHA_MAX, rawAlpha);
  if (alpha < ALPHA_MIN) { return false; }
  let c = readColor(g);

  (*px).T = (*px).T / (1.0 - alpha);
  let T = (*px).T;
  let dPixel = (*px).dPixel;
  let dColor = alpha * T * dPixel;
  (*px).behind = (*px).nextAlpha * (*px).nextColor + (1.0 - (*px).nextAlpha) * (*px).behind;
  (*px).nextAlpha = alpha;
  (*px).nextColor = c;
  let dAlpha = dot(c - (*px).behind, dPixel) * T - (*px).finalT / (1.0 - alpha) * (*px).bgDot;
  // α = min(0.99, o·G): where clamped, α depends on neither o nor G.
  var dOpacity = 0.0;
  var dPower = 0.0;
  if (rawAlpha < ALPHA_MAX) {
    dOpacity = G * dAlpha;
    dPower = G * conic.w * dAlpha;
  }
  // power = −½(A dx² + C dy²) − B dx dy, d = pixel centre − (u, v)
  (*grads)[0] = (conic.x * d.x + conic.y * d.y) * dPower;
  (*grads)[1] = (conic.z * d.y + conic.y * d.x) * dPower;
  (*grads)[2] = -0.5 * d.x * d.x * dPower;
  (*grads)[3] = -d.x * d.y * dPower;
  (*grads)[4] = -0.5 * d.y * d.y * dPower;
  (*grads)[5] = dColor.x;
  (*grads)[6] = dColor.y;
  (*grads)[7] = dColor.z;
  (*grads)[8] = dOpacity;
  return true;
}

// Float add into grad2d (atomic<u32>) by compare-exchange: works without float atomics.
fn addGlobalGrad(index: u32, value: f32) {
  var old = atomicLoad(&grad2d[index]);
  loop {
    let swapped = atomicCompareExchangeWeak(&grad2d[index], old, bitcast<u32>(bitcast<f32>(old) + value));
    if (swapped.exchanged) { break; }
    old = swapped.old_value;
  }
}
