// The default body (MakeHuman CC0 base human in the SMPL convention): structure of the asset,
// its rest pose, skeleton, weights and UVs, and how poses and shape components move it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultBody, defaultBodyData } from '../../src/body/default-body.js';
import { decodeDefaultBody } from '../../src/body/default-body-format.js';
import { DEFAULT_BODY_BASE64 } from '../../src/body/default-body-asset.generated.js';
import { AvatarFormatError } from '../../src/errors.js';
import type { BodyModel, BodyModelData } from '../../src/body/types.js';
import {
  at3, connectedComponents, distance, edgeUse, faceNormal, heightOf, rayCrossings, signedVolume, uvCoverage,
  type Vec3,
} from './default-body-measures.js';

const J = 24;
const SMPL_PARENTS = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21];
const L_HIP = 1, R_HIP = 2, L_KNEE = 4, L_ANKLE = 7, R_ANKLE = 8, L_FOOT = 10, R_FOOT = 11, HEAD = 15;
const L_SHOULDER = 16, R_SHOULDER = 17, L_ELBOW = 18, R_ELBOW = 19, L_WRIST = 20, R_WRIST = 21;
const DEG = Math.PI / 180;

let data: BodyModelData;
let body: BodyModel;
let V: number;

before(async () => {
  data = defaultBodyData();
  V = data.vTemplate.length / 3;
  body = await createDefaultBody();
});
after(() => body.dispose());

const zeroPose = () => new Float32Array(J * 3);
const rest = (betas?: number[]) => body.forward({ pose: zeroPose(), ...(betas ? { betas } : {}) });
/** Joint with the largest skinning weight of each vertex. */
const dominantJoint = (v: number) => {
  let best = 0;
  for (let j = 1; j < J; j++) if (data.weights[v * J + j]! > data.weights[v * J + best]!) best = j;
  return best;
};
/** The six axis directions, nudged off the axes so rays never graze mesh edges exactly. */
const RAYS: Vec3[] = [[1, 0.0123, 0.0071], [-1, 0.0097, -0.0131], [0.0113, 1, 0.0089], [-0.0077, -1, 0.0119], [0.0101, 0.0067, 1], [-0.0137, 0.0059, -1]];

test('decodes into a consistent SMPL-convention body (24 joints, ≥ 6 betas, no pose correctives)', () => {
  assert.equal(data.parents.length, J);
  assert.deepEqual([...data.parents], SMPL_PARENTS);
  assert.ok(data.numBetas >= 6, `numBetas ${data.numBetas}`);
  assert.equal(data.shapedirs.length, V * 3 * data.numBetas);
  assert.equal(data.posedirs.length, 0);
  assert.equal(data.jRegressor.length, J * V);
  assert.equal(data.weights.length, V * J);
  assert.equal(data.uvFaces!.length, data.faces.length);
  assert.ok(data.faces.every((i) => i < V));
  assert.ok(data.uvFaces!.every((i) => i < data.uvs!.length / 2));
  assert.ok(data.vTemplate.every(Number.isFinite) && data.shapedirs.every(Number.isFinite));
  assert.equal(body.numVertices, V);
  assert.equal(body.numBetas, data.numBetas);
});

test('is the human only: one closed manifold surface, every vertex used by a face', () => {
  // Helper geometry (eyes, teeth, tongue, hair, tights, joint cubes) would be separate pieces.
  assert.equal(connectedComponents(V, data.faces), 1);
  assert.deepEqual(edgeUse(data.faces), { boundary: 0, overShared: 0 });
  const used = new Uint8Array(V);
  for (const i of data.faces) used[i] = 1;
  assert.equal(used.reduce((a, b) => a + b, 0), V);
});

test('faces point outward', () => {
  assert.ok(signedVolume(data.vTemplate, data.faces) > 0.03, 'enclosed volume of an adult (> 30 l)');
  // On a closed surface a ray leaving a face along its outward normal crosses the surface an even
  // number of times more; along an inward normal, an odd number (checked on every 40th face).
  const F = data.faces.length / 3;
  let outward = 0, checked = 0;
  for (let f = 0; f < F; f += 40, checked++) {
    const [a, b, c] = [0, 1, 2].map((k) => at3(data.vTemplate, data.faces[f * 3 + k]!));
    const n = faceNormal(data.vTemplate, data.faces, f);
    const start: Vec3 = [0, 1, 2].map((k) => (a![k]! + b![k]! + c![k]!) / 3 + 1e-5 * n[k]!) as Vec3;
    if (rayCrossings(data.vTemplate, data.faces, start, n) % 2 === 0) outward++;
  }
  assert.ok(outward / checked > 0.98, `outward ${outward} of ${checked}`);
});

test('UV charts do not overlap and stay inside 0…1', () => {
  assert.ok(data.uvs!.every((x) => x >= 0 && x <= 1));
  const { covered, overlapping } = uvCoverage(data.uvs!, data.uvFaces!, 512);
  assert.ok(covered > 0.3 * 512 * 512, `covered ${covered}`);
  assert.equal(overlapping, 0);
});

test('skinning weights are non-negative and sum to 1; regressor rows sum to 1', () => {
  for (let v = 0; v < V; v++) {
    let s = 0;
    for (let j = 0; j < J; j++) {
      assert.ok(data.weights[v * J + j]! >= 0);
      s += data.weights[v * J + j]!;
    }
    assert.ok(Math.abs(s - 1) < 1e-5, `vertex ${v}: weights sum ${s}`);
  }
  for (let j = 0; j < J; j++) {
    let s = 0;
    for (let v = 0; v < V; v++) s += data.jRegressor[j * V + v]!;
    assert.ok(Math.abs(s - 1) < 1e-5, `joint ${j}: regressor sum ${s}`);
  }
});

test('zero pose is SMPL T-pose rest: arms horizontal along ±x, legs straight down, left = +x, facing +z', () => {
  const { joints, vertices } = rest();
  const jt = (j: number) => at3(joints, j);
  for (const [shoulder, elbow, wrist, side] of [[L_SHOULDER, L_ELBOW, L_WRIST, 1], [R_SHOULDER, R_ELBOW, R_WRIST, -1]] as const) {
    for (const j of [elbow, wrist]) {
      const d = [jt(j)[0] - jt(shoulder)[0], jt(j)[1] - jt(shoulder)[1], jt(j)[2] - jt(shoulder)[2]];
      assert.ok(side * d[0]! > 0.2, `joint ${j} lies out along ${side > 0 ? '+' : '−'}x`);
      const tilt = Math.atan2(Math.hypot(d[1]!, d[2]!), Math.abs(d[0]!));
      assert.ok(tilt < 3 * DEG, `joint ${j}: ${(tilt / DEG).toFixed(2)}° off the horizontal ±x line`);
    }
  }
  for (const [hip, ankle] of [[L_HIP, L_ANKLE], [R_HIP, R_ANKLE]]) {
    const d = [jt(ankle)[0] - jt(hip)[0], jt(ankle)[1] - jt(hip)[1], jt(ankle)[2] - jt(hip)[2]];
    assert.ok(Math.atan2(Math.hypot(d[0]!, d[2]!), -d[1]!) < 3 * DEG, 'hip → ankle points straight down');
  }
  for (const [foot, ankle] of [[L_FOOT, L_ANKLE], [R_FOOT, R_ANKLE]]) assert.ok(jt(foot)[2] - jt(ankle)[2] > 0.05, 'toes point +z');
  for (let j = 0; j < J; j++) {
    if ([1, 4, 7, 10, 13, 16, 18, 20, 22].includes(j)) assert.ok(jt(j)[0] > 0.01 && jt(j + 1)[0] < -0.01, `joint ${j} on the left (+x)`);
  }
  // The face is the front: the nose (furthest +z point of the head) is in front of the head joint.
  let front = -Infinity;
  for (let v = 0; v < V; v++) if (dominantJoint(v) === HEAD) front = Math.max(front, vertices[v * 3 + 2]!);
  assert.ok(front - jt(HEAD)[2] > 0.05);
});

test('is an adult of 1.6–1.8 m at betas = 0, pelvis joint at the origin, feet below', () => {
  const { joints, vertices } = rest();
  const h = heightOf(vertices);
  assert.ok(h > 1.6 && h < 1.8, `height ${h}`);
  assert.ok(Math.hypot(joints[0]!, joints[1]!, joints[2]!) < 0.01, 'pelvis joint at the origin');
  let minY = Infinity;
  for (let v = 0; v < V; v++) minY = Math.min(minY, vertices[v * 3 + 1]!);
  assert.ok(minY < -0.8 && minY > -1.1, `feet at y = ${minY}`);
});

test('regressed joints lie inside the body (odd crossings on six rays), also for other shapes', () => {
  for (const betas of [undefined, [2], [-2], [0, 0, 0, 0, 0, 2], [0, 0, 0, 0, 0, -2]]) {
    const { joints, vertices } = rest(betas);
    for (let j = 0; j < J; j++) {
      for (const dir of RAYS) {
        const n = rayCrossings(vertices, data.faces, at3(joints, j), dir);
        assert.equal(n % 2, 1, `betas ${betas}: joint ${j}, ray ${dir}: ${n} crossings`);
      }
    }
  }
});

test('each vertex lies near the bones of its dominant joint', () => {
  const { joints } = rest();
  const jt = (j: number) => at3(joints, j);
  const segmentDistance = (p: Vec3, a: Vec3, b: Vec3) => {
    const ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]], ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
    const t = Math.max(0, Math.min(1, (ap[0]! * ab[0]! + ap[1]! * ab[1]! + ap[2]! * ab[2]!) / (ab[0]! ** 2 + ab[1]! ** 2 + ab[2]! ** 2)));
    return distance(p, [a[0] + t * ab[0]!, a[1] + t * ab[1]!, a[2] + t * ab[2]!]);
  };
  let worst = 0;
  for (let v = 0; v < V; v++) {
    const j = dominantJoint(v), p = at3(data.vTemplate, v);
    // Bones touching joint j: to its parent and to each child.
    let d = SMPL_PARENTS[j]! >= 0 ? segmentDistance(p, jt(SMPL_PARENTS[j]!), jt(j)) : distance(p, jt(j));
    for (let c = 0; c < J; c++) if (SMPL_PARENTS[c] === j) d = Math.min(d, segmentDistance(p, jt(j), jt(c)));
    worst = Math.max(worst, d);
    assert.ok(d < 0.2, `vertex ${v} (joint ${j}) is ${d.toFixed(3)} m from its bones`);
  }
  assert.ok(worst > 0.02, 'a human is thicker than its skeleton');
});

/** A few frames of plausible whole-body motion: gait-like swings plus seeded jitter on every joint. */
function amassLikeFrames(count: number): Float32Array[] {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646; // Park–Miller
  return Array.from({ length: count }, (_, i) => {
    const phase = (2 * Math.PI * i) / count;
    const pose = new Float32Array(J * 3).map(() => (random() - 0.5) * 0.3);
    const set = (j: number, x: number, y: number, z: number) => pose.set([pose[j * 3]! + x, pose[j * 3 + 1]! + y, pose[j * 3 + 2]! + z], j * 3);
    set(0, 0.1, 0.6 * Math.sin(phase), 0);
    set(L_HIP, -0.5 * Math.sin(phase), 0, 0);
    set(R_HIP, 0.5 * Math.sin(phase), 0, 0);
    set(L_KNEE, 0.3 + 0.4 * Math.max(0, Math.sin(phase + 1)), 0, 0);
    set(L_KNEE + 1, 0.3 + 0.4 * Math.max(0, Math.sin(phase - 2)), 0, 0);
    set(L_SHOULDER, 0.3 * Math.sin(phase), 0, -1.2);
    set(R_SHOULDER, -0.3 * Math.sin(phase), 0, 1.2);
    set(L_ELBOW, 0, -0.5, 0);
    set(R_ELBOW, 0, 0.5, 0);
    return pose;
  });
}

test('an AMASS-like motion moves no vertex further than its kinematic chain allows', () => {
  const { joints: restJoints } = rest();
  const trans = [0.2, -0.05, 0.4];
  const jt = (j: number) => at3(restJoints, j);
  for (const pose of amassLikeFrames(6)) {
    const { vertices } = body.forward({ pose, trans });
    const angle = (j: number) => Math.hypot(pose[j * 3]!, pose[j * 3 + 1]!, pose[j * 3 + 2]!);
    for (let v = 0; v < V; v++) {
      const p = at3(data.vTemplate, v);
      // A rotation θ about joint k moves a point at most θ·(its distance to k); along the chain
      // that distance is at most the bone lengths down to joint j plus |p − J_j|.
      let bound = Math.hypot(trans[0]!, trans[1]!, trans[2]!);
      for (let j = 0; j < J; j++) {
        const w = data.weights[v * J + j]!;
        if (w === 0) continue;
        let reach = distance(p, jt(j)), chain = 0;
        for (let k = j; k >= 0; k = SMPL_PARENTS[k]!) {
          chain += angle(k) * reach;
          if (SMPL_PARENTS[k]! >= 0) reach += distance(jt(k), jt(SMPL_PARENTS[k]!));
        }
        bound += w * chain;
      }
      const moved = distance(at3(vertices, v), p);
      assert.ok(moved <= bound + 1e-4, `vertex ${v} moved ${moved.toFixed(4)} m, chain allows ${bound.toFixed(4)} m`);
    }
  }
});

test('poses drive it as they drive SMPL (joint frames = world axes at rest)', () => {
  const posed = (j: number, axisAngle: Vec3) => {
    const pose = zeroPose();
    pose.set(axisAngle, j * 3);
    return body.forward({ pose }).joints;
  };
  const r = rest().joints;
  // L_shoulder about −z lowers the left arm; R_shoulder about +z lowers the right arm.
  let p = posed(L_SHOULDER, [0, 0, -Math.PI / 2]);
  assert.ok(p[L_WRIST * 3 + 1]! < r[L_SHOULDER * 3 + 1]! - 0.4 && Math.abs(p[L_WRIST * 3]! - r[L_SHOULDER * 3]!) < 0.05);
  p = posed(R_SHOULDER, [0, 0, Math.PI / 2]);
  assert.ok(p[R_WRIST * 3 + 1]! < r[R_SHOULDER * 3 + 1]! - 0.4);
  // Knee about +x flexes the shin backwards (−z); hip about −x lifts the thigh forwards (+z).
  p = posed(L_KNEE, [Math.PI / 2, 0, 0]);
  assert.ok(p[L_ANKLE * 3 + 2]! < r[L_KNEE * 3 + 2]! - 0.3);
  p = posed(L_HIP, [-Math.PI / 2, 0, 0]);
  assert.ok(p[L_KNEE * 3 + 2]! > r[L_HIP * 3 + 2]! + 0.3);
  // Root about +y by 90° turns the body to face +x: its left hand goes to −z.
  p = posed(0, [0, Math.PI / 2, 0]);
  assert.ok(p[L_WRIST * 3 + 2]! < -0.5);
});

test('shape components change height and girth in the documented direction', () => {
  const volume = (betas: number[]) => signedVolume(rest(betas).vertices, data.faces);
  const height = (betas: number[]) => heightOf(rest(betas).vertices);
  // β0: overall size, +1 ≈ one standard deviation of adult height (documented ≈ +9.6 cm).
  const h0 = height([]), hUp = height([1]), hDown = height([-1]);
  assert.ok(hUp - h0 > 0.05 && hUp - h0 < 0.15, `β0 = +1: ${((hUp - h0) * 100).toFixed(1)} cm`);
  assert.ok(h0 - hDown > 0.05 && h0 - hDown < 0.15, `β0 = −1: ${((hDown - h0) * 100).toFixed(1)} cm`);
  assert.ok(volume([1]) > volume([]) && volume([]) > volume([-1]));
  // β5: weight — more volume at (nearly) the same height.
  const weight = (b: number) => [0, 0, 0, 0, 0, b];
  const v0 = volume([]);
  assert.ok(volume(weight(1)) / v0 - 1 > 0.03, `β5 = +1: volume ×${(volume(weight(1)) / v0).toFixed(3)}`);
  assert.ok(volume(weight(-1)) / v0 - 1 < -0.03);
  assert.ok(Math.abs(height(weight(1)) - h0) < 0.01);
  // β1: male build — broader shoulders (the shoulder joints move apart).
  const span = (betas: number[]) => { const j = rest(betas).joints; return j[L_SHOULDER * 3]! - j[R_SHOULDER * 3]!; };
  assert.ok(span([0, 2]) - span([0, -2]) > 0.01, `β1 ±2: shoulder span ${span([0, -2]).toFixed(3)} → ${span([0, 2]).toFixed(3)} m`);
  // Joints follow the shape: a taller body has its head joint higher.
  assert.ok(rest([2]).joints[HEAD * 3 + 1]! > rest([]).joints[HEAD * 3 + 1]! + 0.05);
});

test('a corrupted asset is refused with AvatarFormatError', () => {
  const bytes = Uint8Array.from(atob(DEFAULT_BODY_BASE64), (c) => c.charCodeAt(0));
  assert.equal(decodeDefaultBody(bytes).numBetas, data.numBetas);
  const badMagic = bytes.slice();
  badMagic[0] = 0x58;
  assert.throws(() => decodeDefaultBody(badMagic), AvatarFormatError);
  assert.throws(() => decodeDefaultBody(bytes.subarray(0, bytes.length >> 1)), AvatarFormatError);
  assert.throws(() => decodeDefaultBody(bytes.subarray(0, 5)), AvatarFormatError);
  const badLength = bytes.slice();
  new DataView(badLength.buffer).setUint32(8, 1000, true);
  assert.throws(() => decodeDefaultBody(badLength), AvatarFormatError);
  new DataView(badLength.buffer).setUint32(8, 0xffffffff, true);
  assert.throws(() => decodeDefaultBody(badLength), AvatarFormatError);
  const garbled = bytes.slice();
  for (let i = 200; i < garbled.length; i += 997) garbled[i]! ^= 0x5a;
  assert.throws(() => decodeDefaultBody(garbled), AvatarFormatError);
});
