// Reads the CC0 MakeHuman base human (../shared/assets/makehuman-cc0/) into plain arrays.
// Units stay as in the files: base.obj and targets in decimetres (y up, facing +z).
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

/** Parses base.obj: positions (N×3, dm), uvs (T×2) and the quads/triangles of each group (vertex and uv indices). */
export function readObj(path) {
  const positions = [];
  const uvs = [];
  const groups = new Map(); // name → { faces: number[][], uvFaces: number[][] }
  let current = null;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('v ')) positions.push(...line.slice(2).trim().split(/\s+/).map(Number));
    else if (line.startsWith('vt ')) uvs.push(...line.slice(3).trim().split(/\s+/).map(Number).slice(0, 2));
    else if (line.startsWith('g ')) {
      const name = line.slice(2).trim();
      if (!groups.has(name)) groups.set(name, { faces: [], uvFaces: [] });
      current = groups.get(name);
    } else if (line.startsWith('f ')) {
      const corners = line.slice(2).trim().split(/\s+/).map((c) => c.split('/').map((s) => Number(s) - 1));
      current.faces.push(corners.map((c) => c[0]));
      current.uvFaces.push(corners.map((c) => c[1]));
    }
  }
  return { positions: Float64Array.from(positions), uvs: Float64Array.from(uvs), groups };
}

/** Reads one `.target.gz`: sparse displacement { indices: Int32Array, deltas: Float64Array (n×3, dm) }. */
export function readTarget(path) {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter((l) => /^\s*\d/.test(l));
  const indices = new Int32Array(lines.length);
  const deltas = new Float64Array(lines.length * 3);
  lines.forEach((l, i) => {
    const [idx, dx, dy, dz] = l.trim().split(/\s+/).map(Number);
    indices[i] = idx;
    deltas.set([dx, dy, dz], i * 3);
  });
  return { indices, deltas };
}

/** Dense N×3 displacement of a target over `numVertices` vertices. */
export function denseTarget(target, numVertices) {
  const out = new Float64Array(numVertices * 3);
  for (let i = 0; i < target.indices.length; i++) {
    const v = target.indices[i];
    if (v < numVertices) out.set(target.deltas.subarray(i * 3, i * 3 + 3), v * 3);
  }
  return out;
}

/** Everything the build needs from the source folder. */
export function readMakeHuman(dir) {
  const obj = readObj(join(dir, 'base.obj'));
  const vertexGroups = JSON.parse(readFileSync(join(dir, 'basemesh_vertex_groups.json'), 'utf8'));
  const rig = JSON.parse(readFileSync(join(dir, 'rig.game_engine.json'), 'utf8'));
  const weights = JSON.parse(readFileSync(join(dir, 'weights.game_engine.json'), 'utf8')).weights;
  const targets = new Map();
  for (const file of readdirSync(join(dir, 'targets')).filter((f) => f.endsWith('.target.gz')).sort()) {
    targets.set(file.replace('.target.gz', ''), readTarget(join(dir, 'targets', file)));
  }
  return { obj, vertexGroups, rig, weights, targets };
}
