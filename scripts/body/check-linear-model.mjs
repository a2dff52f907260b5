// Measures how well the linear model (template + shape components, joints from the sparse
// regressor) matches the full nonlinear conversion (macro targets → A-pose mesh → T-pose) of fresh
// adult samples: each sample's T-posed mesh is projected onto the components, then compared.

/**
 * samples: slider settings; shapeOf(sliders) → { vertices V×3, joints J×3 } (full conversion);
 * vTemplate, joints: the mean; components: B arrays V×3; jointComponents: B arrays J×3 (rig joints
 * per β); regressor: per joint { indices, weights }. Returns report lines.
 */
export function checkLinearModel({ samples, shapeOf, vTemplate, joints, components, jointComponents, regressor }) {
  const V = vTemplate.length / 3, J = joints.length / 3;
  let vSum = 0, vMax = 0, jSum = 0, jMax = 0, vN = 0, jN = 0;
  const perJoint = new Float64Array(J), perJointRig = new Float64Array(J);
  const err = (a, ia, b, ib) => Math.hypot(a[ia * 3] - b[ib * 3], a[ia * 3 + 1] - b[ib * 3 + 1], a[ia * 3 + 2] - b[ib * 3 + 2]);
  for (const sliders of samples) {
    const truth = shapeOf(sliders);
    const linear = Float64Array.from(vTemplate), rigJoints = Float64Array.from(joints);
    components.forEach((comp, k) => {
      let num = 0, den = 0;
      for (let i = 0; i < comp.length; i++) { num += comp[i] * (truth.vertices[i] - vTemplate[i]); den += comp[i] * comp[i]; }
      const beta = num / den; // components are orthogonal: project one at a time
      for (let i = 0; i < comp.length; i++) linear[i] += beta * comp[i];
      for (let i = 0; i < rigJoints.length; i++) rigJoints[i] += beta * jointComponents[k][i];
    });
    for (let v = 0; v < V; v++, vN++) {
      const e = err(linear, v, truth.vertices, v);
      vSum += e; vMax = Math.max(vMax, e);
    }
    regressor.forEach((r, j) => {
      const p = [0, 1, 2].map((c) => r.indices.reduce((s, v, k) => s + r.weights[k] * linear[v * 3 + c], 0));
      const e = err(p, 0, truth.joints, j);
      jSum += e; jMax = Math.max(jMax, e); jN++;
      perJoint[j] = Math.max(perJoint[j], e);
      perJointRig[j] = Math.max(perJointRig[j], err(rigJoints, j, truth.joints, j));
    });
  }
  const mm = (x) => (1000 * x).toFixed(1);
  const list = (a) => [...a].map((x) => (1000 * x).toFixed(0)).join(' ');
  return [
    `linear model vs full conversion of ${samples.length} new adults: vertices mean ${mm(vSum / vN)} mm, max ${mm(vMax)} mm; regressed joints mean ${mm(jSum / jN)} mm, max ${mm(jMax)} mm`,
    `max joint error per joint (mm), rig joints under the linear model: ${list(perJointRig)}`,
    `max joint error per joint (mm), regressed from the linear mesh:     ${list(perJoint)}`,
  ];
}
