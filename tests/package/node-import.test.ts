// Node and SSR: every export path of the built package (dist/, as `npm test` builds it first)
// imports in a plain Node process — no tsx, no DOM, no WebGPU globals — and the CPU-only parts
// work there: the default body's forward pass, motion parsing, sampling and saving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { exports: Record<string, unknown> };

/** Runs `source` as an ES module in a fresh `node` (the package resolves itself by name). */
function runNode(source: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const entries = Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? 'gaussian-avatar' : `gaussian-avatar/${k.slice(2)}`));

test('the package has been built (dist/ holds every export path)', () => {
  assert.deepEqual(entries.sort(), ['gaussian-avatar', 'gaussian-avatar/body', 'gaussian-avatar/element', 'gaussian-avatar/motion']);
  for (const [key, value] of Object.entries(pkg.exports)) {
    if (key === './package.json') continue;
    const file = (value as { default: string }).default;
    assert.ok(existsSync(new URL(file, root)), `${file} missing: run \`npm run build\` first`);
  }
});

for (const entry of entries) {
  test(`import '${entry}' in plain Node evaluates without DOM or WebGPU globals`, () => {
    const r = runNode(`
      for (const name of ['GPUBufferUsage', 'navigator', 'window', 'document', 'customElements']) {
        if (name !== 'navigator' && name in globalThis) throw new Error(name + ' exists in this Node: the test would prove nothing');
      }
      const m = await import(${JSON.stringify(entry)});
      console.log(JSON.stringify(Object.keys(m).length));
    `);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Number(r.stdout.trim()) > 0, `no exports: ${r.stdout}`);
  });
}

test('CPU-only functions work in plain Node: default body forward, motions, .gavatar round trip; GPU calls reject with a typed error', () => {
  const r = runNode(`
    import { readFileSync } from 'node:fs';
    import { createDefaultBody } from 'gaussian-avatar/body';
    import { parseMotion, sampleMotion, saveMotion, motionDuration } from 'gaussian-avatar/motion';
    import { createDefaultBody as fromMain, AvatarFormatError, requestGpuDevice, createDefaultAvatar, saveAvatar, loadAvatar } from 'gaussian-avatar';
    import { GaussianAvatarElement, parseCameraOrbit } from 'gaussian-avatar/element';

    const body = await createDefaultBody();
    const motion = parseMotion(readFileSync('assets/motions/walk.json'));
    const { pose, trans } = sampleMotion(motion, 0.4, { loop: true });
    const { vertices, joints } = body.forward({ pose, trans });
    const again = parseMotion(saveMotion(motion));
    let refused = '';
    try { parseMotion(new Uint8Array([1, 2, 3])); } catch (e) { refused = e instanceof AvatarFormatError ? e.name : String(e); }
    const main = await fromMain();
    let gpu = '';
    try { await requestGpuDevice(); } catch (e) { gpu = e.name; }
    const avatarBytes = saveAvatar(await createDefaultAvatar());
    const avatar = await loadAvatar(avatarBytes);
    const headY = joints[15 * 3 + 1], pelvisY = joints[1];
    console.log(JSON.stringify({
      vertices: vertices.length / 3, joints: joints.length / 3, finite: vertices.every(Number.isFinite),
      headAbovePelvis: headY > pelvisY, duration: motionDuration(motion), frames: motion.poses.length / 72,
      roundTrip: again.poses.length === motion.poses.length && again.poses.every((v, i) => Math.abs(v - motion.poses[i]) < 1e-6),
      refused, gpu, avatarBytes: avatarBytes.length, gaussians: avatar.gaussians.count, mainVertices: main.forward({ pose: new Float32Array(72) }).vertices.length / 3,
      elementIsClass: typeof GaussianAvatarElement === 'function', orbit: parseCameraOrbit('30deg 75deg 3m').radius.value,
      // lit's Node build installs a shim registry (lit SSR); the element is defined in it or nowhere.
      registered: typeof customElements === 'undefined' || customElements.get('gaussian-avatar') === GaussianAvatarElement,
    }));
    body.dispose(); main.dispose(); avatar.body.dispose();
  `);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(out.vertices, 13380);
  assert.equal(out.joints, 24);
  assert.equal(out.finite, true);
  assert.equal(out.headAbovePelvis, true);
  assert.ok(out.duration > 0 && out.frames > 1, JSON.stringify(out));
  assert.equal(out.roundTrip, true);
  assert.equal(out.refused, 'AvatarFormatError');
  assert.equal(out.gpu, 'WebGPUUnavailableError');
  assert.ok(out.avatarBytes > 1e6 && out.gaussians > 10_000, JSON.stringify(out));
  assert.equal(out.mainVertices, 13380);
  assert.equal(out.elementIsClass, true);
  assert.equal(out.orbit, 3);
  assert.equal(out.registered, true);
});
