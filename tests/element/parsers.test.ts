// Attribute parsers of <gaussian-avatar>: camera-orbit (units, auto, polar → elevation),
// background (hex, rgb(), names, transparent) and playback-rate, with typed errors naming the attribute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarInputError } from '../../src/errors.js';
import { MAX_ORBIT_ELEVATION } from '../../src/render/orbit-camera.js';
import { parseBackground, parseCameraOrbit, parseCameraTarget, parsePlaybackRate, resolveCameraOrbit } from '../../components/parsers.js';

const deg = Math.PI / 180;
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('camera-orbit: degrees, radians, metres and bare numbers', () => {
  const o = parseCameraOrbit('30deg 75deg 2.5m');
  close(o.theta!, 30 * deg);
  close(o.phi!, 75 * deg);
  assert.deepEqual(o.radius, { value: 2.5, unit: 'm' });
  const r = parseCameraOrbit('  -0.5rad\t1.2   3 ');
  assert.equal(r.theta, -0.5);
  assert.equal(r.phi, 1.2);
  assert.deepEqual(r.radius, { value: 3, unit: 'm' });
  const bare = parseCameraOrbit('1 .5 120cm');
  assert.equal(bare.theta, 1);
  assert.equal(bare.phi, 0.5);
  close(bare.radius!.value, 1.2);
  close(parseCameraOrbit('0 0 250mm').radius!.value, 0.25);
  close(parseCameraOrbit('1e1DEG').theta!, 10 * deg);
});

test('camera-orbit: auto, missing terms and percentages', () => {
  assert.deepEqual(parseCameraOrbit(''), { theta: null, phi: null, radius: null });
  assert.deepEqual(parseCameraOrbit(null), { theta: null, phi: null, radius: null });
  assert.deepEqual(parseCameraOrbit('auto auto 150%'), { theta: null, phi: null, radius: { value: 150, unit: '%' } });
  const one = parseCameraOrbit('45deg');
  close(one.theta!, 45 * deg);
  assert.equal(one.phi, null);
  assert.equal(one.radius, null);
});

test('camera-orbit: typed errors name the attribute and the bad term', () => {
  for (const bad of ['30deg 75deg 2.5m 1', 'left', '30px', '30deg 75m', '0 0 0m', '0 0 -2m', '0 0 2deg', '0 0 NaN', '1e999', '--1']) {
    assert.throws(() => parseCameraOrbit(bad), (e: unknown) => e instanceof AvatarInputError && e.message.startsWith('camera-orbit:'), bad);
  }
  assert.throws(() => parseCameraOrbit('30px'), /camera-orbit: expected the azimuth in deg or rad \(or auto\), got "30px"/);
  assert.throws(() => parseCameraOrbit('0 0 2deg'), /got "2deg"/);
});

test('resolveCameraOrbit: polar angle → elevation, auto keeps the framed orbit, % scales its distance', () => {
  const framed = { theta: 0.1, phi: 0.05, radius: 3, target: [0.01, 0.9, -0.02] };
  const level = resolveCameraOrbit(parseCameraOrbit('30deg 90deg 2m'), framed);
  close(level.theta, 30 * deg);
  close(level.phi, 0);
  assert.equal(level.radius, 2);
  assert.equal('target' in level, false, 'the target is camera-target\'s, not camera-orbit\'s');
  const above = resolveCameraOrbit(parseCameraOrbit('0deg 60deg'), framed);
  close(above.phi, 30 * deg); // 60° from straight above = 30° above the horizon
  assert.equal(above.radius, 3);
  const auto = resolveCameraOrbit(parseCameraOrbit('auto auto 50%'), framed);
  assert.equal(auto.theta, 0.1);
  assert.equal(auto.phi, 0.05);
  close(auto.radius, 1.5);
  // Straight above or below is clamped just short of the pole (the view's up would be undefined).
  assert.equal(resolveCameraOrbit(parseCameraOrbit('0 0deg'), framed).phi, MAX_ORBIT_ELEVATION);
  assert.equal(resolveCameraOrbit(parseCameraOrbit('0 200deg'), framed).phi, -MAX_ORBIT_ELEVATION);
});

test('camera-target: auto, or x y z in m / cm / mm; typed errors name the attribute', () => {
  assert.equal(parseCameraTarget(null), 'auto');
  assert.equal(parseCameraTarget('  AUTO '), 'auto');
  assert.deepEqual(parseCameraTarget('0m 1.2m -0.5m'), [0, 1.2, -0.5]);
  const mixed = parseCameraTarget('10cm\t90 -250mm') as number[];
  close(mixed[0], 0.1);
  assert.equal(mixed[1], 90);
  close(mixed[2], -0.25);
  for (const bad of ['0 1', '0 1 2 3', '0 1deg 2', '0 1 2%', 'centre', '0 auto 0', '0 NaN 0', '0 1e999 0']) {
    assert.throws(() => parseCameraTarget(bad), (e: unknown) => e instanceof AvatarInputError && e.message.startsWith('camera-target:'), bad);
  }
});

test('background: hex, rgb(), names and transparent', () => {
  assert.deepEqual(parseBackground('#fff'), { rgb: [1, 1, 1], transparent: false });
  assert.deepEqual(parseBackground('#FF8000'), { rgb: [1, 128 / 255, 0], transparent: false });
  assert.deepEqual(parseBackground('#1a2'), { rgb: [0x11 / 255, 0xaa / 255, 0x22 / 255], transparent: false });
  assert.deepEqual(parseBackground('rgb(255, 0, 51)'), { rgb: [1, 0, 51 / 255], transparent: false });
  assert.deepEqual(parseBackground(' RGB(10 20 30) '), { rgb: [10 / 255, 20 / 255, 30 / 255], transparent: false });
  assert.deepEqual(parseBackground('rgb(100%, 50%, 0%)'), { rgb: [1, 0.5, 0], transparent: false });
  assert.deepEqual(parseBackground('grey'), { rgb: [128 / 255, 128 / 255, 128 / 255], transparent: false });
  assert.deepEqual(parseBackground('Black'), { rgb: [0, 0, 0], transparent: false });
  assert.equal(parseBackground('transparent').transparent, true);
});

test('background: typed errors name the attribute', () => {
  for (const bad of ['', '#ff', '#ggg', '#12345', 'rgb(256, 0, 0)', 'rgb(1, 2)', 'rgb(1, 2, 3, 4)', 'rgb(-1, 0, 0)', 'rgb(101%, 0, 0)', 'rgb(1px, 0, 0)', 'hotpink', 'rgba(0,0,0,0)']) {
    assert.throws(() => parseBackground(bad), (e: unknown) => e instanceof AvatarInputError && e.message.startsWith('background:'), bad);
  }
});

test('playback-rate: numbers 0…16, typed errors otherwise', () => {
  assert.equal(parsePlaybackRate('1'), 1);
  assert.equal(parsePlaybackRate(' 0.25 '), 0.25);
  assert.equal(parsePlaybackRate('0'), 0);
  assert.equal(parsePlaybackRate('16'), 16);
  assert.equal(parsePlaybackRate('1.5e0'), 1.5);
  for (const bad of ['', 'fast', '-1', '16.5', 'NaN', 'Infinity', '2x', '0x10', null]) {
    assert.throws(() => parsePlaybackRate(bad), (e: unknown) => e instanceof AvatarInputError && e.message.startsWith('playback-rate: expected a number in 0…16'), String(bad));
  }
});
