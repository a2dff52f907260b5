// Generates the bundled motions assets/motions/{walk,dance,idle}.json from procedural joint-angle
// curves (the project's own, no mocap data), in the project's JSON motion format. Every curve is
// periodic in the clip length, so each clip loops seamlessly (sampleMotion(m, t, { loop: true })).
// Run: node --import tsx scripts/make-motions.mjs   (tsx lets it use the SDK's TypeScript sources)
import { writeFileSync, mkdirSync } from 'node:fs';
import { saveMotion } from '../src/motion/motion-json.ts';
import { axisAngleFromQuat, multiplyQuat, quatAboutAxis } from '../src/motion/rotations.ts';
import { SMPL_JOINT_NAMES } from '../src/motion/types.ts';

const FPS = 30;
const J = (name) => SMPL_JOINT_NAMES.indexOf(name);

/**
 * Local rotation of a joint from a list of [axis, radians] applied in order (first listed applies
 * last, i.e. R = R_0 · R_1 · …), in SMPL's joint frames (= world axes at the T-pose rest).
 */
function rotation(...steps) {
  const q = new Float64Array([0, 0, 0, 1]);
  const step = new Float64Array(4);
  for (const [axis, angle] of steps) multiplyQuat(q, q, quatAboutAxis(step, 'xyz'.indexOf(axis), angle));
  return q;
}

/** Builds a clip of `frames` frames; `pose(phase)` (phase 0…2π over the clip) returns { joints: {name: quat}, trans }. */
function clip(frames, pose) {
  const poses = new Float32Array(frames * 72);
  const trans = new Float32Array(frames * 3);
  for (let f = 0; f < frames; f++) {
    const { joints, trans: t } = pose((2 * Math.PI * f) / frames);
    for (const [name, q] of Object.entries(joints)) axisAngleFromQuat(poses, f * 72 + J(name) * 3, q);
    trans.set(t, f * 3);
  }
  return { fps: FPS, frameCount: frames, poses, trans, source: 'json' };
}

const ARM_DOWN = 1.25; // rad below horizontal: arms relaxed at the sides

// Walk in place, one stride cycle per clip (32 frames ≈ 1.07 s). Phase 0: left thigh passing under the hip.
const walk = clip(32, (p) => {
  const swingL = Math.sin(p); // +1: left thigh fully forward
  const kneeL = 0.1 + 0.65 * Math.max(0, Math.cos(p)) ** 1.5; // bends most mid-swing
  const kneeR = 0.1 + 0.65 * Math.max(0, Math.cos(p + Math.PI)) ** 1.5;
  return {
    joints: {
      pelvis: rotation(['y', -0.08 * swingL], ['x', 0.05]),
      left_hip: rotation(['x', -0.42 * swingL]),
      right_hip: rotation(['x', 0.42 * swingL]),
      left_knee: rotation(['x', kneeL]),
      right_knee: rotation(['x', kneeR]),
      left_ankle: rotation(['x', -0.12 * Math.cos(p)]),
      right_ankle: rotation(['x', 0.12 * Math.cos(p)]),
      spine1: rotation(['y', 0.04 * swingL]),
      spine2: rotation(['y', 0.04 * swingL]),
      spine3: rotation(['y', 0.03 * swingL]),
      // Arms swing opposite to the legs: the left arm comes forward with the right leg.
      left_shoulder: rotation(['x', 0.35 * swingL], ['z', -ARM_DOWN]),
      right_shoulder: rotation(['x', -0.35 * swingL], ['z', ARM_DOWN]),
      left_elbow: rotation(['y', -0.25 - 0.15 * Math.max(0, -swingL)]),
      right_elbow: rotation(['y', 0.25 + 0.15 * Math.max(0, swingL)]),
      neck: rotation(['y', -0.03 * swingL]),
    },
    trans: [0, 0.015 * Math.cos(2 * p), 0],
  };
});

// A two-second groove (60 frames): bouncing knees on the beat, hips swaying, arms waving, torso twisting.
const dance = clip(60, (p) => {
  const bounce = 0.5 - 0.5 * Math.cos(4 * p); // two bounces per sway
  const knee = 0.2 + 0.35 * bounce;
  return {
    joints: {
      pelvis: rotation(['z', 0.08 * Math.sin(p)], ['y', 0.15 * Math.sin(p)]),
      left_hip: rotation(['x', -0.5 * knee], ['z', 0.1]),
      right_hip: rotation(['x', -0.5 * knee], ['z', -0.1]),
      left_knee: rotation(['x', knee]),
      right_knee: rotation(['x', knee]),
      left_ankle: rotation(['x', -0.5 * knee]),
      right_ankle: rotation(['x', -0.5 * knee]),
      spine2: rotation(['y', -0.25 * Math.sin(p)]),
      spine3: rotation(['z', -0.06 * Math.sin(p)]),
      neck: rotation(['x', 0.12 * Math.sin(4 * p)]),
      left_collar: rotation(['z', 0.1 + 0.1 * Math.sin(2 * p)]),
      right_collar: rotation(['z', -0.1 + 0.1 * Math.sin(2 * p)]),
      left_shoulder: rotation(['z', 0.5 * Math.sin(2 * p)], ['x', -0.3]),
      right_shoulder: rotation(['z', 0.5 * Math.sin(2 * p + Math.PI)], ['x', -0.3]),
      left_elbow: rotation(['y', -0.9 - 0.4 * Math.sin(4 * p)]),
      right_elbow: rotation(['y', 0.9 + 0.4 * Math.sin(4 * p)]),
      left_wrist: rotation(['z', 0.3 * Math.sin(4 * p)]),
      right_wrist: rotation(['z', -0.3 * Math.sin(4 * p)]),
    },
    trans: [0.06 * Math.sin(p), -0.05 * bounce, 0],
  };
});

// Standing idle (120 frames, 4 s): breathing, a slow weight shift, a glance around.
const idle = clip(120, (p) => {
  const breath = Math.sin(3 * p);
  return {
    joints: {
      pelvis: rotation(['z', 0.025 * Math.sin(p)]),
      left_hip: rotation(['z', -0.025 * Math.sin(p)]),
      right_hip: rotation(['z', -0.025 * Math.sin(p)]),
      spine1: rotation(['z', -0.015 * Math.sin(p)]),
      spine3: rotation(['x', -0.02 * breath]),
      neck: rotation(['x', 0.015 * breath]),
      head: rotation(['y', 0.25 * Math.sin(2 * p)], ['x', 0.05 * Math.sin(p)]),
      left_collar: rotation(['z', 0.02 * breath]),
      right_collar: rotation(['z', -0.02 * breath]),
      left_shoulder: rotation(['x', 0.04 * Math.sin(p)], ['z', -ARM_DOWN - 0.03 * breath]),
      right_shoulder: rotation(['x', -0.04 * Math.sin(p)], ['z', ARM_DOWN + 0.03 * breath]),
      left_elbow: rotation(['y', -0.15]),
      right_elbow: rotation(['y', 0.15]),
    },
    trans: [0.02 * Math.sin(p), 0, 0],
  };
});

const out = new URL('../assets/motions/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const [name, motion] of Object.entries({ walk, dance, idle })) {
  const text = saveMotion(motion);
  writeFileSync(new URL(`${name}.json`, out), text);
  console.log(`assets/motions/${name}.json: ${motion.frameCount} frames at ${motion.fps} fps, ${text.length} bytes`);
}
