// Orients each shape component (+ = taller, or + = more volume where height barely changes) and
// describes it: height and volume change at β = ±1 and its correlation with the macro sliders.

const SLIDERS = ['gender', 'age', 'muscle', 'weight', 'height', 'proportions', 'african', 'asian', 'caucasian'];
const SLIDER_LABEL = { gender: 'male', age: 'older', muscle: 'muscular', weight: 'heavier', height: 'taller slider', proportions: 'ideal proportions', african: 'african', asian: 'asian', caucasian: 'caucasian' };

export function meshHeight(positions) {
  let lo = Infinity, hi = -Infinity;
  for (let i = 1; i < positions.length; i += 3) { lo = Math.min(lo, positions[i]); hi = Math.max(hi, positions[i]); }
  return hi - lo;
}

export function meshVolume(positions, tris) {
  let s = 0;
  for (let f = 0; f < tris.length; f += 3) {
    const [a, b, c] = [tris[f] * 3, tris[f + 1] * 3, tris[f + 2] * 3];
    s += positions[a] * (positions[b + 1] * positions[c + 2] - positions[b + 2] * positions[c + 1])
      - positions[a + 1] * (positions[b] * positions[c + 2] - positions[b + 2] * positions[c])
      + positions[a + 2] * (positions[b] * positions[c + 1] - positions[b + 1] * positions[c]);
  }
  return s / 6;
}

function correlation(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n, my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; syy += (ys[i] - my) ** 2; }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

export function describeComponents(pca, vTemplate, tris) {
  const h0 = meshHeight(vTemplate), vol0 = meshVolume(vTemplate, tris);
  const at = (comp, beta) => vTemplate.map((x, i) => x + beta * comp[i]);
  const components = [];
  const lines = [];
  pca.components.forEach((comp, k) => {
    let dh = (meshHeight(at(comp, 1)) - meshHeight(at(comp, -1))) / 2;
    let dv = (meshVolume(at(comp, 1), tris) - meshVolume(at(comp, -1), tris)) / 2 / vol0;
    const sign = Math.abs(dh) > 0.005 ? Math.sign(dh) : Math.sign(dv) || 1;
    components.push(sign === 1 ? comp : comp.map((x) => -x));
    dh *= sign; dv *= sign;
    const betas = pca.scores.map((s) => sign * s[k]);
    const corr = SLIDERS.map((s) => [s, correlation(betas, pca.samples.map((x) => x[s]))])
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 3)
      .map(([s, c]) => `${c >= 0 ? '' : 'less '}${SLIDER_LABEL[s]} ${c.toFixed(2)}`);
    lines.push(`β${k}: ${(100 * pca.explained[k]).toFixed(1)}% var; per +1: height ${dh >= 0 ? '+' : ''}${(100 * dh).toFixed(1)} cm, volume ${dv >= 0 ? '+' : ''}${(100 * dv).toFixed(1)}%; correlates with ${corr.join(', ')}`);
  });
  return { components, lines, height: h0, volume: vol0 };
}
