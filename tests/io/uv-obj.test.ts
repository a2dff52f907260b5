import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUvObj } from '../../src/body/uv-obj.js';
import { smplDataFromNpz } from '../../src/body/smpl-npz-data.js';
import { loadSmplModel } from '../../src/body/load-smpl.js';
import { readNpz } from '../../src/io/npz.js';
import { AvatarFormatError } from '../../src/errors.js';
import { randomBodyData, seededRandom } from '../helpers/random-body.js';
import { smplNpz } from '../helpers/smpl-npz.js';

/**
 * An n×n grid of quads over (n+1)² vertices, split into triangles along alternating diagonals (the
 * model's faces), with a UV seam down the middle column: vertices there get a second vt for the quads
 * right of it. `truth[3f+k]` is the (u, v) the corner k of model face f must receive.
 */
function gridWithSeam(n: number) {
  const vid = (i: number, j: number) => j * (n + 1) + i;
  const seam = n / 2;
  const vts: [number, number][] = [];
  for (let j = 0; j <= n; j++) for (let i = 0; i <= n; i++) vts.push([i / n, j / n]);
  const seamVt = new Map<number, number>(); // vertex on the seam → its right-side vt index
  for (let j = 0; j <= n; j++) {
    seamVt.set(vid(seam, j), vts.length);
    vts.push([0.5 + 0.25, j / n]); // deliberately different from the left-side uv
  }
  const vtOf = (v: number, rightOfSeam: boolean) => (rightOfSeam && seamVt.has(v) ? seamVt.get(v)! : v);
  const faces: number[] = [];
  const truthVt: number[] = [];
  const quads: { corners: number[]; right: boolean }[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const q = [vid(i, j), vid(i + 1, j), vid(i + 1, j + 1), vid(i, j + 1)];
      const right = i >= seam;
      quads.push({ corners: q, right });
      const tris = (i + j) % 2 ? [[q[0], q[1], q[2]], [q[0], q[2], q[3]]] : [[q[0], q[1], q[3]], [q[1], q[2], q[3]]];
      for (const t of tris) {
        faces.push(...t);
        truthVt.push(...t.map((v) => vtOf(v, right)));
      }
    }
  }
  return { numVertices: (n + 1) ** 2, faces: Uint32Array.from(faces), vts, truthVt, quads, vtOf };
}

/** Writes the grid as an .obj: shuffled faces, rotated/reversed corners, mixed quads and triangles, mixed index styles. */
function gridObj(grid: ReturnType<typeof gridWithSeam>, seed: number): string {
  const rand = seededRandom(seed);
  const lines: string[] = ['# test grid', 'mtllib none.mtl', 'o grid'];
  for (let v = 0; v < grid.numVertices; v++) lines.push(`v ${v * 0.01} 0 0`);
  grid.vts.forEach(([u, v]) => lines.push(`vt ${u} ${v}`));
  lines.push('vn 0 0 1', 's off');
  const T = grid.vts.length;
  const faceLines: string[] = [];
  const corner = (v: number, t: number, style: number) =>
    style === 0 ? `${v + 1}/${t + 1}` : style === 1 ? `${v + 1}/${t + 1}/1` : `${v + 1}/${t - T}`; // style 2: negative vt
  for (const { corners, right } of grid.quads) {
    const style = Math.floor(rand() * 3);
    let poly: number[][];
    if (rand() < 0.5) {
      poly = [corners]; // a quad: its triangulation must match either model diagonal
    } else {
      // Triangles along the other diagonal than the model's would not match: use the model's own.
      const f = grid.faces;
      poly = [];
      for (let k = 0; k < f.length; k += 3) {
        const tri = [f[k], f[k + 1], f[k + 2]];
        if (tri.every((v) => corners.includes(v))) poly.push(tri);
      }
    }
    for (let p of poly) {
      const r = Math.floor(rand() * p.length);
      p = [...p.slice(r), ...p.slice(0, r)];
      if (rand() < 0.3) p.reverse();
      faceLines.push('f ' + p.map((v) => corner(v, grid.vtOf(v, right), style)).join(' '));
    }
  }
  for (let i = faceLines.length - 1; i > 0; i--) {
    const k = Math.floor(rand() * (i + 1));
    [faceLines[i], faceLines[k]] = [faceLines[k], faceLines[i]];
  }
  return [...lines, 'usemtl skin', ...faceLines, ''].join(rand() < 0.5 ? '\n' : '\r\n');
}

test('UV obj with a seam (more vt than v), shuffled faces, quads and mixed index styles maps onto the model faces', () => {
  for (const seed of [1, 2, 3]) {
    const grid = gridWithSeam(6);
    const layout = parseUvObj(gridObj(grid, seed), grid.faces, grid.numVertices);
    assert.equal(layout.uvs.length, grid.vts.length * 2);
    assert.ok(grid.vts.length > grid.numVertices, 'the seam adds texture vertices');
    assert.equal(layout.uvFaces.length, grid.faces.length);
    for (let c = 0; c < grid.faces.length; c++) {
      const want = grid.vts[grid.truthVt[c]];
      const t = layout.uvFaces[c];
      assert.deepEqual([layout.uvs[2 * t], layout.uvs[2 * t + 1]], want.map(Math.fround), `corner ${c} (seed ${seed})`);
    }
  }
});

test('loadSmplModel / smplDataFromNpz with uvObj: uvs and uvFaces on the model', async () => {
  const grid = gridWithSeam(4);
  const data = randomBodyData({ numVertices: grid.numVertices, numJoints: 24, numBetas: 3, seed: 5 });
  data.faces = grid.faces;
  const obj = gridObj(grid, 9);
  const got = smplDataFromNpz(readNpz(smplNpz(data)), { uvObj: obj });
  const direct = parseUvObj(obj, grid.faces, grid.numVertices);
  assert.deepEqual(Array.from(got.uvs!), Array.from(direct.uvs));
  assert.deepEqual(Array.from(got.uvFaces!), Array.from(direct.uvFaces));
  const model = await loadSmplModel(smplNpz(data, { level: 6 }), { uvObj: obj });
  assert.deepEqual(Array.from(model.uvFaces!), Array.from(direct.uvFaces));
  assert.equal(model.uvs!.length, grid.vts.length * 2);
  model.dispose();
});

test('bad UV obj → AvatarFormatError saying what is wrong and what to do', () => {
  const grid = gridWithSeam(2);
  const good = gridObj(grid, 4);
  const faceLines = good.split(/\r?\n/).filter((l) => l.startsWith('f '));
  const noFaces = good.split(/\r?\n/).filter((l) => !l.startsWith('f ')).join('\n');
  const cases: [string, string, RegExp][] = [
    ['no vt', good.split(/\r?\n/).filter((l) => !l.startsWith('vt ')).join('\n').replace(/\/-?\d+/g, '/1'), /^uvObj: line \d+: texture index|no 'vt'/],
    ['only vertices', good.split(/\r?\n/).filter((l) => l.startsWith('v ')).join('\n'), /^uvObj: the \.obj has no 'vt' lines/],
    ['no faces', noFaces, /^uvObj: the \.obj has no 'f' lines/],
    ['face without vt', `${noFaces}\nf 1 2 3`, /^uvObj: line \d+: face corner '1' has no texture index/],
    ['face v//vn', `${noFaces}\nf 1//1 2//1 3//1`, /no texture index/],
    ['vertex index too big', `${noFaces}\nf 1/1 2/1 99/1`, /^uvObj: line \d+: vertex index '99': out of range \(expected < 9 model vertices\)/],
    ['vertex index 0', `${noFaces}\nf 0/1 2/1 3/1`, /vertex index '0': out of range/],
    ['vt index too big', `${noFaces}\nf 1/1 2/1 3/999`, /texture index '999': out of range/],
    ['non-integer index', `${noFaces}\nf 1/1 2/x 3/1`, /texture index 'x': expected an integer/],
    ['two-corner face', `${noFaces}\nf 1/1 2/1`, /at least 3 corners/],
    ['bad vt', good.replace(/vt [^\n]*/, 'vt 0.5 nan'), /^uvObj: line \d+: expected 'vt u v'/],
    ['missing faces', `${noFaces}\n${faceLines.slice(1).join('\n')}`, /^uvObj: [12] of 8 model faces have no face .* same mesh/],
    ['other mesh', good.replace(/^v .*$/m, '').concat('\n'), /^uvObj: the \.obj has 8 vertices, the model has 9/],
  ];
  for (const [what, text, message] of cases) {
    assert.throws(() => parseUvObj(text, grid.faces, grid.numVertices), (e: Error) => e instanceof AvatarFormatError && message.test(e.message), what);
  }
  assert.throws(() => parseUvObj(42 as never, grid.faces, grid.numVertices), AvatarFormatError);
});

test('fuzz: 3000 mutated UV objs → a layout or an AvatarFormatError', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 77);
  const grid = gridWithSeam(4);
  const good = gridObj(grid, 1);
  const pieces = ['/', '//', '-', '-1', '0', '999999999999', 'f', 'vt', 'v', ' ', '\n', 'nan', '1e400', '#', '\r', '½', '/-99'];
  let layouts = 0;
  let errors = 0;
  for (let it = 0; it < 3000; it++) {
    const rand = seededRandom(seed + it * 104729);
    let text = good;
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * text.length);
      const kind = Math.floor(rand() * 4);
      if (kind === 0) text = text.slice(0, at) + pieces[Math.floor(rand() * pieces.length)] + text.slice(at);
      else if (kind === 1) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 20));
      else if (kind === 2) text = text.slice(0, at);
      else text = text.slice(0, at) + String.fromCharCode(Math.floor(rand() * 128)) + text.slice(at + 1);
    }
    try {
      const layout = parseUvObj(text, grid.faces, grid.numVertices);
      assert.equal(layout.uvFaces.length, grid.faces.length);
      assert.ok(layout.uvFaces.every((t) => t < layout.uvs.length / 2), `iteration ${it}: uv index out of range`);
      layouts++;
    } catch (e) {
      if (!(e instanceof AvatarFormatError)) assert.fail(`iteration ${it} (FUZZ_SEED=${seed}): ${(e as Error)?.name}: ${(e as Error)?.message}`);
      errors++;
    }
  }
  console.log(`uv obj fuzz: ${layouts} layouts, ${errors} AvatarFormatErrors`);
  assert.ok(layouts > 30 && errors > 300, `${layouts} layouts, ${errors} errors`);
});
