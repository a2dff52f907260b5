// Orients each shape component so that + follows the macro slider it correlates with most (over
// the sampled adults) and describes it: height and volume change at β = ±1 and those correlations.

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
  const signs = [];
  const lines = [];
  pca.components.forEach((comp, k) => {
    const corrOf = (sign) => SLIDERS.map((name) => [name, correlation(pca.scores.map((x) => sign * x[k]), pca.samples.map((x) => x[name]))])
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
    const sign = Math.sign(corrOf(1)[0][1]) || 1;
    const oriented = sign === 1 ? comp : comp.map((x) => -x);
    components.push(oriented);
    signs.push(sign);
    const dh = (meshHeight(at(oriented, 1)) - meshHeight(at(oriented, -1))) / 2;
    const dv = (meshVolume(at(oriented, 1), tris) - meshVolume(at(oriented, -1), tris)) / 2 / vol0;
    const corr = corrOf(sign).slice(0, 3).map(([name, c]) => `${c >= 0 ? '' : 'less '}${SLIDER_LABEL[name]} ${c.toFixed(2)}`);
    lines.push(`β${k}: ${(100 * pca.explained[k]).toFixed(1)}% var; per +1: height ${dh >= 0 ? '+' : ''}${(100 * dh).toFixed(1)} cm, volume ${dv >= 0 ? '+' : ''}${(100 * dv).toFixed(1)}%; correlates with ${corr.join(', ')}`);
  });
  return { components, signs, lines, height: h0, volume: vol0 };
}
