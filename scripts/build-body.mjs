// Builds assets/default-body.bin, the package's default body, from the CC0 MakeHuman base human
// in ../shared/assets/makehuman-cc0/. Runs once at dev time (`npm run build:body`); the result is
// committed. Steps: mean shape (default macro sliders) → human-only mesh → A-pose to SMPL T-pose
// → SMPL joints and merged weights → PCA shape components → joint regressor → binary asset.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMakeHuman, denseTarget } from './body/makehuman-source.mjs';
import { DEFAULT_SLIDERS, macroTargetWeights } from './body/macro-weights.mjs';
import { blendTransforms, tPoseTransforms } from './body/repose.mjs';
import { JOINT_BONES, SMPL_JOINT_NAMES, SMPL_PARENTS, smplJointOfBone } from './body/smpl-joints.mjs';
import { buildJointRegressor } from './body/joint-regressor.mjs';
import { sampleSliders, shapeComponents } from './body/shape-components.mjs';
import { describeComponents } from './body/describe-components.mjs';
import { encodeDefaultBody } from './body/asset-writer.mjs';
import { apply } from './body/linalg.mjs';
import { checkLinearModel } from './body/check-linear-model.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? join(root, '..', 'shared', 'assets', 'makehuman-cc0');
const NUM_BETAS = 10;
const DM = 0.1; // decimetres → metres
if (!existsSync(source)) throw new Error(`build-body: MakeHuman source not found at ${source}`);

const mh = readMakeHuman(source);
const { obj, rig } = mh;
const numAll = obj.positions.length / 3;
const targetNames = [...mh.targets.keys()].filter((n) => mh.targets.get(n).indices.length > 0);

// 1. Mean shape over every vertex (joint cubes included: they carry the joint centres).
const macro = macroTargetWeights(DEFAULT_SLIDERS, targetNames);
const mean = Float64Array.from(obj.positions);
for (const name of targetNames) {
  const w = macro.get(name);
  if (w === 0) continue;
  const t = mh.targets.get(name);
  for (let i = 0; i < t.indices.length; i++) for (let c = 0; c < 3; c++) mean[t.indices[i] * 3 + c] += w * t.deltas[i * 3 + c];
}

// 2. The human only: faces of group `body`, used vertices re-indexed, quads → triangles.
const body = obj.groups.get('body');
const used = [...new Set(body.faces.flat())].sort((a, b) => a - b);
const newIndex = new Int32Array(numAll).fill(-1);
used.forEach((v, i) => { newIndex[v] = i; });
const usedUv = [...new Set(body.uvFaces.flat())].sort((a, b) => a - b);
const newUv = new Map(usedUv.map((t, i) => [t, i]));
const tris = [], uvTris = [];
body.faces.forEach((f, i) => {
  const uf = body.uvFaces[i];
  for (let k = 1; k + 1 < f.length; k++) {
    tris.push(newIndex[f[0]], newIndex[f[k]], newIndex[f[k + 1]]);
    uvTris.push(newUv.get(uf[0]), newUv.get(uf[k]), newUv.get(uf[k + 1]));
  }
});
const V = used.length;
const uvs = new Float32Array(usedUv.length * 2);
usedUv.forEach((t, i) => { uvs[i * 2] = obj.uvs[t * 2]; uvs[i * 2 + 1] = obj.uvs[t * 2 + 1]; });

// 3. Rig weights per body vertex (bone indices into `bones`), normalised.
const bones = Object.keys(rig);
const rigWeights = Array.from({ length: V }, () => []);
bones.forEach((bone, b) => {
  for (const [v, w] of mh.weights[bone] ?? []) if (newIndex[v] >= 0 && w > 0) rigWeights[newIndex[v]].push([b, w]);
});
rigWeights.forEach((list, v) => {
  const s = list.reduce((a, [, w]) => a + w, 0);
  if (!(s > 0)) throw new Error(`build-body: body vertex ${used[v]} has no rig weight`);
  for (const e of list) e[1] /= s;
});

// 4. A-pose → T-pose through the shape's own joints (bone heads = centres of their joint cubes),
//    then metres with the pelvis joint at the origin.
const poseBones = bones.filter((b) => rig[b].head.cube_name);
function tPoseBody(all) {
  const heads = {};
  for (const bone of poseBones) {
    const s = [0, 0, 0];
    let n = 0;
    for (const [a, b] of mh.vertexGroups[rig[bone].head.cube_name]) for (let v = a; v <= b; v++, n++) for (let c = 0; c < 3; c++) s[c] += all[v * 3 + c];
    heads[bone] = s.map((x) => x / n);
  }
  const boneT = tPoseTransforms(bones, heads);
  const rest = new Float64Array(V * 3);
  used.forEach((v, i) => rest.set(all.subarray(v * 3, v * 3 + 3), i * 3));
  const posed = blendTransforms(rest, rigWeights, bones.map((b) => boneT[b])).positions;
  const jointsDm = JOINT_BONES.map((b) => apply(boneT[b], heads[b]));
  const origin = jointsDm[0];
  const vertices = posed.map((x, i) => (x - origin[i % 3]) * DM);
  const joints = Float64Array.from(jointsDm.flatMap((p) => p.map((x, c) => (x - origin[c]) * DM)));
  return { vertices, joints };
}
const { vertices: vTemplate, joints } = tPoseBody(mean);

// 5. SMPL skinning weights: game-engine bones merged onto the 24 joints.
const boneJoint = bones.map((b) => smplJointOfBone(b, rig));
const weights = new Float64Array(V * 24);
rigWeights.forEach((list, v) => { for (const [b, w] of list) weights[v * 24 + boneJoint[b]] += w; });
const dominant = Int32Array.from({ length: V }, (_, v) => {
  let best = 0;
  for (let j = 1; j < 24; j++) if (weights[v * 24 + j] > weights[v * 24 + best]) best = j;
  return best;
});

// 6. Shape components: each macro target linearised through the whole conversion (central
//    difference of the T-posed, pelvis-centred mesh), so joints move with the shape and the arms stay
//    horizontal: a target that lifts the shoulders lifts the T-posed arms instead of tilting them.
const STEP = 0.05;
const reposedTargets = new Map(), jointTargets = new Map();
for (const name of targetNames) {
  const dense = denseTarget(mh.targets.get(name), numAll);
  const plus = tPoseBody(mean.map((x, i) => x + STEP * dense[i]));
  const minus = tPoseBody(mean.map((x, i) => x - STEP * dense[i]));
  reposedTargets.set(name, plus.vertices.map((x, i) => (x - minus.vertices[i]) / (2 * STEP)));
  jointTargets.set(name, plus.joints.map((x, i) => (x - minus.joints[i]) / (2 * STEP)));
}
const pca = shapeComponents(reposedTargets, NUM_BETAS);
const described = describeComponents(pca, vTemplate, tris);
// The rig's joints under each component (same target combination, same orientation).
const jointComponents = pca.coefficients.map((coeffs, k) => {
  const g = new Float64Array(24 * 3);
  pca.names.forEach((name, a) => { const d = jointTargets.get(name); for (let i = 0; i < g.length; i++) g[i] += described.signs[k] * coeffs[a] * d[i]; });
  return g;
});

// 7. Joint regressor: exact at the mean shape, and following the rig's joints along every component.
const regressor = buildJointRegressor(vTemplate, joints, SMPL_PARENTS, dominant, described.components, jointComponents);

// 8. How well the linear model matches the full conversion of fresh adults.
const linearCheck = checkLinearModel({
  samples: sampleSliders(20, 99),
  shapeOf: (sliders) => {
    const w = macroTargetWeights(sliders, targetNames);
    const all = Float64Array.from(obj.positions);
    for (const name of targetNames) {
      const t = mh.targets.get(name), wt = w.get(name);
      if (wt) for (let i = 0; i < t.indices.length; i++) for (let c = 0; c < 3; c++) all[t.indices[i] * 3 + c] += wt * t.deltas[i * 3 + c];
    }
    return tPoseBody(all);
  },
  vTemplate, joints, components: described.components, jointComponents, regressor,
});

// 9. Write the asset.
const shapedirs = new Float64Array(V * 3 * NUM_BETAS);
described.components.forEach((comp, b) => { for (let i = 0; i < V * 3; i++) shapedirs[i * NUM_BETAS + b] = comp[i]; });
const bytes = encodeDefaultBody({
  vTemplate, faces: Uint32Array.from(tris), uvs, uvFaces: Uint32Array.from(uvTris), parents: Int32Array.from(SMPL_PARENTS),
  weights, regressor, shapedirs, numBetas: NUM_BETAS,
});
const outPath = join(root, 'assets', 'default-body.bin');
writeFileSync(outPath, bytes);

// Report.
let minY = Infinity, maxY = -Infinity;
for (let v = 0; v < V; v++) { minY = Math.min(minY, vTemplate[v * 3 + 1]); maxY = Math.max(maxY, vTemplate[v * 3 + 1]); }
console.log(`build-body: ${V} vertices, ${tris.length / 3} triangles, ${uvs.length / 2} uvs, height ${(maxY - minY).toFixed(3)} m (feet at y = ${minY.toFixed(3)})`);
SMPL_JOINT_NAMES.forEach((n, j) => {
  const r = regressor[j];
  console.log(`  joint ${String(j).padStart(2)} ${n.padEnd(10)} (${[0, 1, 2].map((c) => joints[j * 3 + c].toFixed(3)).join(', ')})  ring ${r.indices.length}, w ∈ [${Math.min(...r.weights).toFixed(3)}, ${Math.max(...r.weights).toFixed(3)}]`);
});
console.log(`  shape components (explained variance of the sampled adults):`);
described.lines.forEach((l) => console.log(`    ${l}`));
linearCheck.forEach((l) => console.log(`  ${l}`));
console.log(`build-body: wrote ${outPath} (${bytes.length} bytes)`);
