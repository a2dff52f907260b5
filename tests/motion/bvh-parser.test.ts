import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarFormatError, InputTooLargeError } from '../../src/errors.js';
import { resolveInputLimits } from '../../src/io/input-limits.js';
import { parseBvh } from '../../src/motion/bvh-parser.js';
import { cmuRig, fileOrder, frameRow, mixamoRig, writeBvh } from '../helpers/bvh-fixtures.js';

const SMALL = `HIERARCHY
ROOT mixamorig:Hips
{
\tOFFSET 0.0 90.5 -1
\tCHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
\tJOINT Left Up Leg
\t{
\t\tOFFSET 9 -7 0
\t\tCHANNELS 3 Yrotation Xrotation Zrotation
\t\tEnd Site
\t\t{
\t\t\tOFFSET 0 -40 0
\t\t}
\t}
\tJOINT Spine{
\t\tOFFSET 0 10 0
\t\tCHANNELS 6 Xposition Yposition Zposition Xrotation Yrotation Zrotation
\t\tJOINT Head
\t\t{
\t\t\tOFFSET 0 1e1 0
\t\t\tCHANNELS 0
\t\t}
\t}
}
MOTION
Frames:    2
Frame Time: 0.0416667
1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
-1 -2 -3 -4 -5 -6 -7 -8 -9 -10 -11 -12 -13 -14 -15
`;

function rejects(text: string, pattern: RegExp): void {
  assert.throws(() => parseBvh(text), (e: Error) => e instanceof AvatarFormatError && pattern.test(e.message), String(pattern));
}

describe('BVH parser', () => {
  it('reads the hierarchy: names (with spaces, colons), offsets, channels in any order, End Sites', () => {
    const bvh = parseBvh(SMALL);
    assert.deepEqual(bvh.joints.map((j) => j.name), ['mixamorig:Hips', 'Left Up Leg', 'Spine', 'Head']);
    assert.deepEqual(bvh.joints.map((j) => j.parent), [-1, 0, 0, 2]);
    assert.deepEqual(bvh.joints[0].offset, [0, 90.5, -1]);
    assert.deepEqual(bvh.joints[3].offset, [0, 10, 0]);
    assert.deepEqual(bvh.joints[1].channels, ['Yrotation', 'Xrotation', 'Zrotation']);
    assert.deepEqual(bvh.joints[2].channels, ['Xposition', 'Yposition', 'Zposition', 'Xrotation', 'Yrotation', 'Zrotation']);
    assert.deepEqual(bvh.joints[3].channels, []);
    assert.deepEqual(bvh.joints.map((j) => j.channelStart), [0, 6, 9, 15]);
    assert.deepEqual(bvh.joints[1].endSite, [0, -40, 0]);
    assert.equal(bvh.joints[0].endSite, undefined);
    assert.equal(bvh.channelCount, 15);
    assert.equal(bvh.frameCount, 2);
    assert.equal(bvh.frameTime, 0.0416667);
    assert.deepEqual(Array.from(bvh.frames), [...Array.from({ length: 15 }, (_, i) => i + 1), ...Array.from({ length: 15 }, (_, i) => -(i + 1))]);
  });

  it('reads CRLF files and the fixture rigs', () => {
    assert.equal(parseBvh(SMALL.replace(/\n/g, '\r\n')).joints.length, 4);
    for (const rig of [cmuRig(), mixamoRig({ sixChannels: true })]) {
      const rows = [frameRow(rig), frameRow(rig, { [rig[0].name]: { Xposition: 5 } })];
      const bvh = parseBvh(writeBvh(rig, rows));
      assert.deepEqual(bvh.joints.map((j) => j.name), fileOrder(rig).map((j) => j.name));
      assert.deepEqual(Array.from(bvh.frames), rows.flat().map((v) => v + 0)); // String(-0) is '0'
    }
  });

  it('rejects malformed files with AvatarFormatError naming the line and what was expected', () => {
    rejects('', /HIERARCHY|MOTION/);
    rejects(SMALL.replace('HIERARCHY', 'HIERARCHIE'), /expected "HIERARCHY"/);
    rejects(SMALL.replace('MOTION', 'MOTIONS'), /MOTION/);
    rejects(SMALL.replace('OFFSET 9 -7 0', 'OFFSET 9 -7'), /line 9: expected OFFSET z \(a finite number\), got "CHANNELS"/);
    rejects(SMALL.replace('OFFSET 9 -7 0', 'OFFSET 9 -7 abc'), /OFFSET z.*"abc"/);
    rejects(SMALL.replace('CHANNELS 3 Yrotation', 'CHANNELS 3 Wrotation'), /line 9: CHANNELS of "Left Up Leg".*"Wrotation"/);
    rejects(SMALL.replace('CHANNELS 3 Yrotation Xrotation', 'CHANNELS 3 Yrotation Yrotation'), /appears twice/);
    rejects(SMALL.replace('CHANNELS 3', 'CHANNELS 7'), /count 0…6, got 7/);
    rejects(SMALL.replace('JOINT Head', 'JOINT'), /expected a joint name/);
    rejects(SMALL.replace('\t\t\tOFFSET 0 1e1 0\n', ''), /joint "Head": expected an OFFSET/);
    rejects(SMALL.replace('}\nMOTION', 'MOTION'), /closing joint "mixamorig:Hips"/);
    rejects(SMALL.replace('}\nMOTION', '}\nROOT Other\n{\nOFFSET 0 0 0\n}\nMOTION'), /second ROOT/);
    rejects(SMALL.replace('End Site', 'End Point'), /End Site/);
    rejects(SMALL.replace('\tJOINT Left', '\tBONE Left'), /expected OFFSET, CHANNELS, JOINT, End Site or "}".*"BONE"/);
    rejects(SMALL.replace('Frames:    2', 'Frames: 2.5'), /Frames: expected an integer ≥ 1/);
    rejects(SMALL.replace('Frames:    2', 'Frames: 0'), /Frames: expected an integer ≥ 1/);
    rejects(SMALL.replace('Frame Time: 0.0416667', 'Frame Time: 0'), /Frame Time: expected seconds > 0/);
    rejects(SMALL.replace('Frame Time: 0.0416667', 'FrameTime 0.04'), /Frame Time/);
    rejects(SMALL.replace(/CHANNELS \d[^\n]*/g, 'CHANNELS 0'), /at least one channel/);
  });

  it('checks the declared frame count against the values present before allocating', () => {
    rejects(SMALL.replace('Frames:    2', 'Frames: 3'), /Frames: 3 × 15 channels declares 45 values, found 30/);
    const t0 = performance.now();
    const huge = SMALL.replace('Frames:    2', 'Frames: 1000000000000');
    assert.throws(() => parseBvh(huge, resolveInputLimits({ maxMotionFrames: Infinity })), /declares 15000000000000 values, found 30/);
    assert.ok(performance.now() - t0 < 1000);
    rejects(SMALL.replace(' 15\n-1', '\n-1'), /declares 30 values, found 29/);
    rejects(SMALL.replace('-15\n', '-15 16\n'), /found 31/);
    rejects(SMALL.replace(' 7 8 ', ' 7 nan '), /MOTION frame 0, channel 7: expected a finite number, got "nan"/);
    rejects(SMALL.replace('-7 -8', '1e999 -8'), /MOTION frame 1, channel 6/);
  });

  it('refuses a Frames: count above limits.maxMotionFrames with InputTooLargeError, before reading the rows', () => {
    const claims = (frames: number) => SMALL.replace('Frames:    2', `Frames: ${frames}`);
    assert.throws(
      () => parseBvh(claims(200_000)),
      (e: Error) => e instanceof InputTooLargeError &&
        e.message === 'bvh line 26: Frames: 200000 frames, above the limit of 100000 frames (raise it with limits.maxMotionFrames)',
    );
    // Raised: the count passes the limit and the rows are then found missing.
    assert.throws(() => parseBvh(claims(200_000), resolveInputLimits({ maxMotionFrames: 200_000 })), /declares 3000000 values, found 30/);
    assert.equal(parseBvh(SMALL, resolveInputLimits({ maxMotionFrames: 2 })).frameCount, 2);
    assert.throws(() => parseBvh(SMALL, resolveInputLimits({ maxMotionFrames: 1 })), InputTooLargeError);
  });

  it('survives a deeply nested chain without recursion limits', () => {
    const depth = 5000;
    let text = 'HIERARCHY\nROOT j0\n{\nOFFSET 0 0 0\nCHANNELS 3 Zrotation Xrotation Yrotation\n';
    for (let i = 1; i < depth; i++) text += `JOINT j${i}\n{\nOFFSET 0 1 0\nCHANNELS 1 Xrotation\n`;
    text += '}\n'.repeat(depth) + `MOTION\nFrames: 1\nFrame Time: 0.1\n${new Array(depth + 2).fill(0).join(' ')}\n`;
    const bvh = parseBvh(text);
    assert.equal(bvh.joints.length, depth);
    assert.equal(bvh.joints[depth - 1].parent, depth - 2);
  });
});
