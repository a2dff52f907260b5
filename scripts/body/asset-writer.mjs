// Encodes the default body into the binary layout documented in src/body/default-body-format.ts:
// positions, UVs, shape components and skinning weights quantised to 16 bits, every 16-bit stream
// delta-coded along its order and split into byte planes so that zlib finds the redundancy.
import { deflateSync } from 'node:zlib';

export const MAGIC = 'GADBODY2';
/**
 * Shape components' quantisation step, metres per unit β. Rounding moves a vertex by at most half a
 * step per component, so at |β| ≤ 2 on all ten components by at most 10 × 2 × 2.5 µm = 0.05 mm.
 */
export const SHAPE_STEP_M = 5e-6;
const U16_MAX = 65535;

class Writer {
  parts = [];
  length = 0;
  push(typed) {
    const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
    this.parts.push(bytes.slice());
    this.length += bytes.length;
    const pad = (4 - (this.length % 4)) % 4;
    if (pad) { this.parts.push(new Uint8Array(pad)); this.length += pad; }
  }
  bytes() {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

/**
 * 16-bit values (taken mod 2¹⁶) → each one's difference to the previous one (mod 2¹⁶, zigzag so that
 * small negative steps are small numbers), low bytes of all, then high bytes of all.
 */
export function deltaPlanes(values) {
  const n = values.length, out = new Uint8Array(2 * n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] & 0xffff;
    const d = (((v - prev) << 16) >> 16); // signed 16-bit difference
    const z = ((d << 1) ^ (d >> 31)) & 0xffff;
    out[i] = z & 0xff;
    out[n + i] = z >> 8;
    prev = v;
  }
  return out;
}

function checkedRound(name, x, lo, hi) {
  const q = Math.round(x);
  if (!(q >= lo && q <= hi)) throw new Error(`asset-writer: ${name} quantises to ${q}, outside ${lo}…${hi}`);
  return q;
}

/**
 * weights: V×24 dense (f64), regressor: per joint { indices, weights }, shapedirs: V×3×B (f64),
 * index (v·3 + c)·B + b. Returns the asset's bytes.
 */
export function encodeDefaultBody({ vTemplate, faces, uvs, uvFaces, parents, weights, regressor, shapedirs, numBetas }) {
  const V = vTemplate.length / 3, F = faces.length / 3, T = uvs.length / 2, J = parents.length, B = numBetas;
  if (V > U16_MAX + 1 || T > U16_MAX + 1) throw new Error('asset-writer: indices must fit in 16 bits');

  // Positions: per axis, the bounding range split into 65 535 steps (axis-major, so neighbours in
  // the vertex order give small differences).
  const posOffset = new Float32Array(3), posStep = new Float32Array(3);
  for (let c = 0; c < 3; c++) {
    let lo = Infinity, hi = -Infinity;
    for (let v = 0; v < V; v++) { lo = Math.min(lo, vTemplate[v * 3 + c]); hi = Math.max(hi, vTemplate[v * 3 + c]); }
    posOffset[c] = lo;
    posStep[c] = (hi - lo) / U16_MAX || 1;
    // Float32 rounding of offset/step must not push the top vertex past 65 535.
    while ((hi - posOffset[c]) / posStep[c] > U16_MAX + 0.49) posStep[c] = Math.fround(posStep[c] * (1 + 1e-7));
  }
  const position = new Uint16Array(V * 3);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < V; v++) position[c * V + v] = checkedRound('vTemplate', (vTemplate[v * 3 + c] - posOffset[c]) / posStep[c], 0, U16_MAX);
  }

  const uv = new Uint16Array(T * 2);
  for (let c = 0; c < 2; c++) for (let t = 0; t < T; t++) uv[c * T + t] = checkedRound('uvs', uvs[t * 2 + c] * U16_MAX, 0, U16_MAX);

  // Skinning weights: the non-zero ones per vertex, each as w·65 535 (the decoder renormalises).
  const counts = new Uint8Array(V), wJoint = [], wValue = [];
  for (let v = 0; v < V; v++) {
    for (let j = 0; j < J; j++) {
      const w = weights[v * J + j];
      if (w > 0) { counts[v]++; wJoint.push(j); wValue.push(checkedRound('weights', w * U16_MAX, 0, U16_MAX)); }
    }
  }

  const rowStart = new Uint32Array(J + 1);
  regressor.forEach((r, j) => { rowStart[j + 1] = rowStart[j] + r.indices.length; });

  // Shape components: one step for all (an absolute bound in metres), component-major then axis.
  const shape = new Int16Array(V * 3 * B);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < 3; c++) {
      for (let v = 0; v < V; v++) shape[(b * 3 + c) * V + v] = checkedRound('shapedirs', shapedirs[(v * 3 + c) * B + b] / SHAPE_STEP_M, -32768, 32767);
    }
  }

  const w = new Writer();
  w.push(Uint32Array.from([V, F, T, J, B, wJoint.length, rowStart[J], 0]));
  w.push(Float32Array.from([...posOffset, ...posStep, SHAPE_STEP_M, 0]));
  w.push(deltaPlanes(position));
  w.push(deltaPlanes(faces));
  w.push(deltaPlanes(uv));
  w.push(deltaPlanes(uvFaces));
  w.push(Int32Array.from(parents));
  w.push(counts);
  w.push(Uint8Array.from(wJoint));
  w.push(Uint16Array.from(wValue));
  w.push(rowStart);
  w.push(Uint32Array.from(regressor.flatMap((r) => r.indices)));
  w.push(Float32Array.from(regressor.flatMap((r) => r.weights)));
  w.push(deltaPlanes(shape));
  const payload = w.bytes();
  const packed = deflateSync(payload, { level: 9 });
  const out = new Uint8Array(12 + packed.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, payload.length, true);
  out.set(packed, 12);
  return out;
}
