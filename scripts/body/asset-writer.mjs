// Encodes the default body into the binary layout documented in src/body/default-body-format.ts.
import { deflateSync } from 'node:zlib';

export const MAGIC = 'GADBODY1';

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

/** weights: V×24 dense (f64), regressor: per joint { indices, weights }, shapedirs: V×3×B (f64). */
export function encodeDefaultBody({ vTemplate, faces, uvs, uvFaces, parents, weights, regressor, shapedirs, numBetas }) {
  const V = vTemplate.length / 3, F = faces.length / 3, T = uvs.length / 2, J = parents.length, B = numBetas;
  if (V > 65535 || T > 65535) throw new Error('asset-writer: indices must fit in 16 bits');
  const counts = new Uint8Array(V), wJoint = [], wValue = [];
  for (let v = 0; v < V; v++) {
    for (let j = 0; j < J; j++) {
      const w = weights[v * J + j];
      if (w > 0) { counts[v]++; wJoint.push(j); wValue.push(w); }
    }
  }
  const rowStart = new Uint32Array(J + 1);
  regressor.forEach((r, j) => { rowStart[j + 1] = rowStart[j] + r.indices.length; });
  const scales = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    let m = 0;
    for (let i = b; i < shapedirs.length; i += B) m = Math.max(m, Math.abs(shapedirs[i]));
    scales[b] = m / 32767 || 1;
  }
  const q = new Int16Array(shapedirs.length);
  for (let i = 0; i < q.length; i++) q[i] = Math.round(shapedirs[i] / scales[i % B]);

  const w = new Writer();
  w.push(Uint32Array.from([V, F, T, J, B, wJoint.length, rowStart[J], 0]));
  w.push(Float32Array.from(vTemplate));
  w.push(Uint16Array.from(faces));
  w.push(Float32Array.from(uvs));
  w.push(Uint16Array.from(uvFaces));
  w.push(Int32Array.from(parents));
  w.push(counts);
  w.push(Uint8Array.from(wJoint));
  w.push(Float32Array.from(wValue));
  w.push(rowStart);
  w.push(Uint32Array.from(regressor.flatMap((r) => r.indices)));
  w.push(Float32Array.from(regressor.flatMap((r) => r.weights)));
  w.push(scales);
  w.push(q);
  const payload = w.bytes();
  const packed = deflateSync(payload, { level: 9 });
  const out = new Uint8Array(12 + packed.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, payload.length, true);
  out.set(packed, 12);
  return out;
}
