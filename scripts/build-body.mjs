// Builds assets/default-body.bin, the package's default body, from the CC0 MakeHuman base human
// in ../shared/assets/makehuman-cc0/. Runs once at dev time (`npm run build:body`); the result is
// committed. Steps: mean shape (default macro sliders) → human-only mesh → A-pose to SMPL T-pose
// → SMPL joints and merged weights → joint regressor → PCA shape components → binary asset.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMakeHuman, denseTarget } from './body/makehuman-source.mjs';
import { DEFAULT_SLIDERS, macroTargetWeights } from './body/macro-weights.mjs';
import { blendTransforms, tPoseTransforms } from './body/repose.mjs';
import { JOINT_BONES, SMPL_JOINT_NAMES, SMPL_PARENTS, smplJointOfBone } from './body/smpl-joints.mjs';
import { buildJointRegressor } from './body/joint-regressor.mjs';
import { shapeComponents } from './body/shape-components.mjs';
import { describeComponents } from './body/describe-components.mjs';
import { encodeDefaultBody } from './body/asset-writer.mjs';
import { apply } from './body/linalg.mjs';

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

// 2. Bone heads = centres of their joint cubes (mean shape).
const cubeCentre = (name) => {
  const s = [0, 0, 0];
  let n = 0;
  for (const [a, b] of mh.vertexGroups[name]) for (let v = a; v <= b; v++, n++) for (let c = 0; c < 3; c++) s[c] += mean[v * 3 + c];
  return s.map((x) => x / n);
};
const bones = Object.keys(rig);
const heads = Object.fromEntries(bones.filter((b) => rig[b].head.cube_name).map((b) => [b, cubeCentre(rig[b].head.cube_name)]));

// 3. The human only: faces of group `body`, used vertices re-indexed, quads → triangles.
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

// 4. Rig weights per body vertex (bone indices into `bones`), normalised.
const rigWeights = Array.from({ length: V }, () => []);
bones.forEach((bone, b) => {
  for (const [v, w] of mh.weights[bone] ?? []) if (newIndex[v] >= 0 && w > 0) rigWeights[newIndex[v]].push([b, w]);
});
rigWeights.forEach((list, v) => {
  const s = list.reduce((a, [, w]) => a + w, 0);
  if (!(s > 0)) throw new Error(`build-body: body vertex ${used[v]} has no rig weight`);
  for (const e of list) e[1] /= s;
});

// 5. A-pose → T-pose (in decimetres, mesh frame), then metres with the pelvis joint at the origin.
const boneT = tPoseTransforms(bones, heads);
const bodyRest = new Float64Array(V * 3);
used.forEach((v, i) => bodyRest.set(mean.subarray(v * 3, v * 3 + 3), i * 3));
const posed = blendTransforms(bodyRest, rigWeights, bones.map((b) => boneT[b]));
const jointsDm = JOINT_BONES.map((b) => apply(boneT[b], heads[b]));
const origin = jointsDm[0];
const vTemplate = new Float64Array(V * 3);
for (let v = 0; v < V; v++) for (let c = 0; c < 3; c++) vTemplate[v * 3 + c] = (posed.positions[v * 3 + c] - origin[c]) * DM;
const joints = new Float64Array(24 * 3);
jointsDm.forEach((p, j) => { for (let c = 0; c < 3; c++) joints[j * 3 + c] = (p[c] - origin[c]) * DM; });

// 6. SMPL skinning weights: game-engine bones merged onto the 24 joints.
const boneJoint = bones.map((b) => smplJointOfBone(b, rig));
const weights = new Float64Array(V * 24);
rigWeights.forEach((list, v) => { for (const [b, w] of list) weights[v * 24 + boneJoint[b]] += w; });
const dominant = Int32Array.from({ length: V }, (_, v) => {
  let best = 0;
  for (let j = 1; j < 24; j++) if (weights[v * 24 + j] > weights[v * 24 + best]) best = j;
  return best;
});

// 7. Joint regressor (reproduces `joints` exactly at the mean shape).
const regressor = buildJointRegressor(vTemplate, joints, SMPL_PARENTS, dominant);

// 8. Shape components: each macro target reposed with its vertices' blended rotation, in metres.
const reposedTargets = new Map();
for (const name of targetNames) {
  const dense = denseTarget(mh.targets.get(name), numAll);
  const out = new Float64Array(V * 3);
  for (let v = 0; v < V; v++) {
    const d = dense.subarray(used[v] * 3, used[v] * 3 + 3);
    const L = posed.linear.subarray(v * 9, v * 9 + 9);
    for (let r = 0; r < 3; r++) out[v * 3 + r] = DM * (L[r * 3] * d[0] + L[r * 3 + 1] * d[1] + L[r * 3 + 2] * d[2]);
  }
  reposedTargets.set(name, out);
}
const pca = shapeComponents(reposedTargets, NUM_BETAS);
const described = describeComponents(pca, vTemplate, tris);

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
console.log(`build-body: wrote ${outPath} (${bytes.length} bytes)`);
