// fitFromVideo end to end on a tiny clip made from the training issue's synthetic character
// (tests/helpers/synthetic-character.ts: default body, procedural clothes, a skirt the body model
// lacks) in four poses of the bundled 'dance' motion, each held for a few video frames, rendered
// from the front and encoded to a WebM (tests/helpers/still-webm.ts) → frames → real MediaPipe keypoints and
// masks → body fit → a few training iterations → an avatar that saves, loads and renders; each
// used frame is tied to its pose by its timestamp (the decoded frame's presentation time, checked
// against the WebM's own frame times and the picture), and the fitted joints must lie near the
// true ones (pelvis-aligned mean joint position error), nearer their own pose than any other pose
// of the clip, with the arms spread and raised as in the truth. Then, on a still clip of the rendered default avatar: cancellation in every phase
// (AbortError; a detector passed in is not used after the abort, the trainer's avatar body is
// freed), too few usable frames (typed error with the counts), a live stream, and bad input.
// Sizes are tiny for SwiftShader: 128×160 and 96×128 frames, R = 32.
import { expect } from 'chai';
import { saveAvatar, loadAvatar } from '../../src/avatar/avatar-file.js';
import { createPoseDetector, type PoseDetector } from '../../src/capture/mediapipe-pose.js';
import { AbortError, AvatarInputError, NoPersonFoundError } from '../../src/errors.js';
import { fitFromVideo, type FitFromVideoOptions, type FitFromVideoProgress, type FitPhase } from '../../src/fit/fit-from-video.js';
import { cropImage } from '../../src/fit/person-crop.js';
import { parseMotion } from '../../src/motion/parse-motion.js';
import { sampleMotion } from '../../src/motion/sample-motion.js';
import { saveMotion } from '../../src/motion/motion-json.js';
import { renderAvatarImage } from '../../src/render/render-avatar-image.js';
import type { Avatar } from '../../src/avatar/types.js';
import { emptyImage, renderPerson } from '../capture/person-image.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { isCpuAdapter } from '../../src/gpu/adapter-kind.js';
import { toCamera, type TestCamera } from '../helpers/front-camera.js';
import { recordFramesWebm, recordStillWebm, webmFrameTimes } from '../helpers/still-webm.js';
import { createCharacter, frameToImageData, frontCamera, identifyFrame, loadMotionFrames, renderCharacter } from '../helpers/synthetic-character.js';

const BASE_URL = '/node_modules/@mediapipe/pose/';
/**
 * Tolerances of the posed clip's body fit. Measured on SwiftShader over seven runs (the log line
 * prints them): pelvis-aligned mean joint position error 49–117 mm per frame (the largest where
 * the fit bends the knees in depth, which a front view hardly shows); the arms' spread and height
 * within 3.4 and 4.9 cm of the truth. The poses themselves differ by 37–73 mm (a T-pose is 80–121 mm
 * from them), so the error bound only catches a fit gone wrong; that each frame's fit is nearest
 * its own pose, and the arms, check that the poses were told apart.
 */
const POSE_ERROR_MM = 180;
const ARMS_TOLERANCE_M = 0.07;

/** The posed clip: frames 0, 4, 8, 12 of 'dance' (arms raised 0…0.49 rad, elbows bent 0.5…1.3 rad, knees 0.2…0.55 rad). */
const MOTION = 'dance', POSES = 4, MOTION_STEP = 4, HOLD = 4, FRAME_MS = 60;
const CLIP_WIDTH = 128, CLIP_HEIGHT = 160;
/** A plain grey wall (linear RGB). */
const WALL = [0.6, 0.6, 0.6];
/** SMPL joints: pelvis, shoulders, wrists. */
const PELVIS = 0, LEFT_SHOULDER = 16, RIGHT_SHOULDER = 17, LEFT_WRIST = 20, RIGHT_WRIST = 21;

interface PosesClip {
  video: Blob;
  /** Presentation times of the video's frames (s), from the WebM: frame k shows pose ⌊k / HOLD⌋. */
  frameTimes: number[];
  /** Per pose: the true joints in the camera frame (24×3, metres) and the picture encoded. */
  joints: Float32Array[];
  pictures: ImageData[];
}


/** Mean distance (metres) between two joint sets (J×3) after moving each so its pelvis is at the origin. */
function pelvisAlignedError(estimate: Float32Array, truth: Float32Array): number {
  let sum = 0;
  const J = truth.length / 3;
  for (let j = 0; j < J; j++) {
    sum += Math.hypot(...[0, 1, 2].map((c) => estimate[3 * j + c]! - estimate[3 * PELVIS + c]! - (truth[3 * j + c]! - truth[3 * PELVIS + c]!)));
  }
  return sum / J;
}

/** How far apart the wrists are, left to right in the image (metres, camera frame). */
function handsSpan(joints: Float32Array): number {
  return Math.abs(joints[3 * LEFT_WRIST]! - joints[3 * RIGHT_WRIST]!);
}

/** How high the hands are over the shoulders (metres, mean of both sides; camera frame: y down). */
function handsRaise(joints: Float32Array): number {
  return ((joints[3 * LEFT_SHOULDER + 1]! - joints[3 * LEFT_WRIST + 1]!) + (joints[3 * RIGHT_SHOULDER + 1]! - joints[3 * RIGHT_WRIST + 1]!)) / 2;
}

/** The synthetic character in POSES poses of MOTION, each held for HOLD frames, from the front, as a WebM. */
async function recordPosesClip(device: GPUDevice): Promise<PosesClip> {
  const character = await createCharacter(64, 2 / 64);
  try {
    const camera = frontCamera(CLIP_WIDTH, CLIP_HEIGHT, { fieldHeight: 2.2 });
    const { poses, trans } = await loadMotionFrames(MOTION, POSES, MOTION_STEP);
    const rendered = await renderCharacter(device, character, camera, poses, trans);
    const pictures = rendered.map((f) => frameToImageData(f, CLIP_WIDTH, CLIP_HEIGHT, WALL));
    const video = await recordFramesWebm(pictures.flatMap((p) => new Array<ImageData>(HOLD).fill(p)), FRAME_MS);
    const joints = rendered.map((f) => toCamera(character.avatar.body.forward({ pose: f.pose, trans: f.trans, betas: character.avatar.betas }).joints, camera.view));
    const frameTimes = await webmFrameTimes(video);
    return { video, frameTimes, joints, pictures };
  } finally {
    character.avatar.body.dispose();
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection, got a result');
}

/** Fraction of pixels whose displayed (sRGB) colour differs from the black background by more than 0.1 in some channel. */
async function coveredFraction(device: GPUDevice, avatar: Avatar, camera: TestCamera, pose: Float32Array, trans: Float32Array): Promise<number> {
  const { data, width, height } = await renderAvatarImage(avatar, { pose, trans, camera, background: [0, 0, 0], device });
  let covered = 0;
  for (let o = 0; o < data.length; o += 4) if (Math.max(data[o]!, data[o + 1]!, data[o + 2]!) > 25) covered++;
  return covered / (width * height);
}

describe('fitFromVideo', () => {
  let device: GPUDevice;
  let personClip: Blob;
  let emptyClip: Blob;
  let detector: PoseDetector;
  const tiny = (): FitFromVideoOptions => ({
    frameCount: 3, maxSize: 128, fitIterations: 120, resolution: 32, stage1Iterations: 12, stage2Iterations: 4, device,
  });

  before(async () => {
    device = await getTestDevice();
    const person = await renderPerson(96, 128);
    personClip = await recordStillWebm(person.image, 1.2);
    emptyClip = await recordStillWebm(emptyImage(96, 128), 1.2);
    detector = await createPoseDetector({ baseUrl: BASE_URL, modelComplexity: 0, independentFrames: true });
  });
  after(async () => {
    await detector?.close();
  });

  it('turns a WebM of the synthetic character in four poses into an avatar that renders, its fitted joints near the true ones', async () => {
    const clip = await recordPosesClip(device);
    const progress: FitFromVideoProgress[] = [];
    const t0 = performance.now();
    const result = await fitFromVideo(clip.video, {
      ...tiny(), frameCount: POSES, maxSize: CLIP_HEIGHT, fitIterations: 400,
      poseDetector: { baseUrl: BASE_URL, modelComplexity: 0 }, previewEvery: 6, onProgress: (p) => progress.push(p),
    });
    console.log(`fitFromVideo (poses): ${((performance.now() - t0) / 1000).toFixed(1)} s, ${result.keypoints.length} usable frames, fit error ${Array.from(result.bodyFit.perFrameError, (e) => e.toFixed(1)).join(' ')} px, ${result.avatar.gaussians.count} Gaussians`);
    // Phases in order, each reported, fractions in 0…1.
    const order: FitPhase[] = ['capture', 'keypoints', 'body-fit', 'preview', 'stage1', 'stage2'];
    expect(result.heldOutPoses, 'nothing held out').to.deep.equal([]);
    const seen = progress.map((p) => order.indexOf(p.phase));
    expect(seen.every((k, i) => k >= 0 && (i === 0 || k >= seen[i - 1]!)), 'phases in order').to.equal(true);
    expect(new Set(progress.map((p) => p.phase))).to.deep.equal(new Set(order));
    for (const p of progress) expect(p.fraction).to.be.within(0, 1);
    expect(progress.some((p) => p.phase === 'stage1' && p.loss !== undefined && Number.isFinite(p.loss))).to.equal(true);
    // The sizes it ran with, all given here (the preset, picked by the adapter, fills none), in the result and the first progress.
    expect(result.settings).to.deep.equal({ preset: isCpuAdapter(device) ? 'light' : 'full', frameCount: POSES, maxSize: CLIP_HEIGHT, resolution: 32, stage1Iterations: 12, stage2Iterations: 4 });
    expect(progress[0]).to.deep.include({ phase: 'capture', fraction: 0, settings: result.settings });
    // Training says how long it has left: more early on than at its end (0 after the last iteration).
    const left = progress.filter((p) => p.secondsLeft !== undefined).map((p) => p.secondsLeft!);
    expect(left.length, 'progress with secondsLeft').to.be.at.least(2);
    expect(left[0]).to.be.above(0);
    expect(left[left.length - 1]).to.equal(0);
    expect(progress.some((p) => p.preview !== undefined && p.preview.rgb.length === p.preview.width * p.preview.height * 3)).to.equal(true);
    // Instant appearance: one 'preview' with a playable avatar (no network, as many Gaussians as the
    // trained one) and the coverage report; a front-facing clip never shows the back.
    const instant = progress.filter((p) => p.phase === 'preview' && p.fraction === 1);
    expect(instant.length).to.equal(1);
    expect(instant[0]!.avatar!.network).to.equal(undefined);
    expect(instant[0]!.avatar!.gaussians.count).to.equal(result.avatar.gaussians.count);
    expect(instant[0]!.avatar!.body, 'the preview and the trained avatar share one body').to.equal(result.avatar.body);
    expect(result.avatar.bodySource).to.equal('default');
    expect(result.avatar.network!.config.maxOffset, 'training got the fit\'s room for loose clothes (10 cm)').to.be.closeTo(0.1, 1e-7);
    expect(result.coverage).to.equal(instant[0]!.coverage);
    expect(result.coverage!.missing).to.include('back');
    // …and a picture of it in the first training frame's camera, with the person in it.
    const picture = instant[0]!.preview!;
    expect([picture.width, picture.height]).to.deep.equal([result.camera.width, result.camera.height]);
    expect(picture.rgb.filter((v) => v > 0.05).length / picture.rgb.length, 'preview picture: share of lit values').to.be.above(0.03);
    console.log(`fitFromVideo (poses): coverage ${JSON.stringify(Object.fromEntries(Object.entries(result.coverage!.sides).map(([k, v]) => [k, +v.fraction.toFixed(2)])))}: ${result.coverage!.summary}`);
    // Intermediates: MediaPipe finds the character in every frame.
    expect(result.droppedFrames).to.deep.equal([]);
    expect(result.frames.length).to.equal(POSES);
    expect(result.keypoints.map((k) => k.frameIndex)).to.deep.equal(result.frames.map((f) => f.index));
    // Frames are cropped to one box around the person (inside the clip's frame), and the camera with them.
    const { crop } = result;
    expect([crop.sourceWidth, crop.sourceHeight]).to.deep.equal([CLIP_WIDTH, CLIP_HEIGHT]);
    expect(crop.box.x >= 0 && crop.box.y >= 0 && crop.box.x + crop.box.width <= CLIP_WIDTH && crop.box.y + crop.box.height <= CLIP_HEIGHT, 'crop box inside the frame').to.equal(true);
    console.log(`fitFromVideo (poses): person crop ${JSON.stringify(crop.box)} of ${CLIP_WIDTH}×${CLIP_HEIGHT}, scale ${crop.scale.toFixed(3)}`);
    expect([result.camera.width, result.camera.height]).to.deep.equal([crop.width, crop.height]);
    for (const f of result.frames) expect([f.image.width, f.image.height]).to.deep.equal([crop.width, crop.height]);
    for (const e of result.bodyFit.perFrameError) expect(e, 'body fit reprojection error (px)').to.be.below(8);
    // Per-frame quality: one entry per frame with a person, every check passed on this clean clip (all frames trained on).
    console.log(`fitFromVideo (poses): frame quality ${result.frameQuality.map((q) => `#${q.frameIndex} ${q.reprojectionErrorPx.toFixed(1)} px, orientation ${q.orientationDeviationDeg.toFixed(0)}° (landmarks ${q.landmarkOrientationDeviationDeg.toFixed(0)}°, vs 2D ${q.facingDisagreementDeg.toFixed(0)}°), head ${q.headInMask.toFixed(2)}, IoU ${q.maskIoU.toFixed(2)}${q.used ? '' : `, not used: ${q.reason}`}`).join('; ')}`);
    expect(result.frameQuality.map((q) => [q.frameIndex, q.timestamp])).to.deep.equal(result.keypoints.map((k) => [k.frameIndex, k.timestamp]));
    for (const [i, q] of result.frameQuality.entries()) {
      expect([q.used, q.reason, q.problems], `frame ${i}`).to.deep.equal([true, undefined, []]);
      expect(q.reprojectionErrorPx).to.equal(result.bodyFit.perFrameError[i]);
      expect(q.headInMask, `frame ${i}: head on the mask`).to.be.at.least(0.5);
      expect(q.maskIoU, `frame ${i}: mask–body IoU (0.53–0.55 seen)`).to.be.within(0.3, 1);
      for (const d of [q.orientationDeviationDeg, q.landmarkOrientationDeviationDeg, q.facingDisagreementDeg]) expect(d).to.be.within(0, 35);
    }
    expect(result.dataset.frames.length).to.equal(POSES);
    expect(result.dataset.frames.every((f) => f.mask instanceof Float32Array)).to.equal(true);
    expect(result.poses.length).to.equal(POSES);

    // Which pose each frame shows: its timestamp is one of the video's frame times; the picture agrees.
    const shown = result.frames.map((f, i) => {
      const k = clip.frameTimes.findIndex((t) => Math.abs(t - f.timestamp) < 1e-6);
      expect(k, `frame ${i}: timestamp ${f.timestamp} is a frame time of the video`).to.be.at.least(0);
      const { index: picture, rms } = identifyFrame(f.image, clip.pictures.map((p) => cropImage(p, crop)));
      expect([Math.floor(k / HOLD), rms < 12], `frame ${i}: pose by timestamp, picture match (RMS ${rms.toFixed(1)})`).to.deep.equal([picture, true]);
      return picture;
    });
    expect(shown, 'one frame of each pose').to.deep.equal([0, 1, 2, 3]);

    // The refined poses as a motion (FitResult.motion): one frame per training frame over their time
    // span; it saves and parses back, and plays: sampled anywhere it stands the body upright on the floor.
    const { motion } = result;
    const times = result.dataset.frames.map((f) => f.time!);
    expect(motion.frameCount).to.equal(result.poses.length);
    expect((motion.frameCount - 1) / motion.fps).to.be.closeTo(times[times.length - 1]! - times[0]!, 1e-6);
    const replayed = parseMotion(saveMotion(motion));
    const largest = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    expect(largest(replayed.poses, motion.poses), 'poses after save → parse').to.be.below(1e-6);
    expect(largest(replayed.trans, motion.trans), 'trans after save → parse').to.be.below(1e-6);
    for (const t of [0, 0.37, 0.8].map((x) => x * replayed.frameCount / replayed.fps)) {
      const { pose, trans } = sampleMotion(replayed, t, { loop: true });
      const { joints, vertices } = result.avatar.body.forward({ pose, trans, betas: result.avatar.betas });
      let lowest = Infinity;
      for (let v = 1; v < vertices.length; v += 3) lowest = Math.min(lowest, vertices[v]!);
      expect(joints[15 * 3 + 1]! - joints[1]!, `t = ${t.toFixed(2)} s: head above the pelvis (m)`).to.be.above(0.4);
      expect(lowest, `t = ${t.toFixed(2)} s: lowest point (m), the floor at 0`).to.be.within(-0.02, 0.15);
    }

    // The fitted joints (the fit's world is the camera frame) against the true ones: near them,
    // nearer its own pose than any other pose of the clip, and the arms (what a front view shows
    // best) spread and raised as in the truth.
    const fitted = shown.map((_, i) => result.avatar.body.forward({ pose: result.bodyFit.poses.subarray(72 * i, 72 * i + 72), trans: result.bodyFit.trans.subarray(3 * i, 3 * i + 3), betas: result.bodyFit.betas }).joints);
    const errors = fitted.map((joints) => clip.joints.map((truth) => 1000 * pelvisAlignedError(joints, truth)));
    const spans = fitted.map(handsSpan), trueSpans = shown.map((k) => handsSpan(clip.joints[k]!));
    const raises = fitted.map(handsRaise), trueRaises = shown.map((k) => handsRaise(clip.joints[k]!));
    const cm = (v: number[]) => v.map((x) => (100 * x).toFixed(1)).join(' ');
    console.log([
      `fitFromVideo (poses): pelvis-aligned mean joint position error ${errors.map((e, i) => `${e[shown[i]!]!.toFixed(0)} mm (nearest other pose ${Math.min(...e.filter((_, k) => k !== shown[i])).toFixed(0)})`).join(', ')}`,
      `  hands apart fitted ${cm(spans)} cm, true ${cm(trueSpans)} cm; hands over shoulders fitted ${cm(raises)} cm, true ${cm(trueRaises)} cm`,
    ].join('\n'));
    errors.forEach((e, i) => {
      const own = e[shown[i]!]!;
      expect(own, `frame ${i} (pose ${shown[i]}): pelvis-aligned mean joint position error (mm)`).to.be.below(POSE_ERROR_MM);
      expect(own, `frame ${i}: error to its own pose below that to every other pose (${e.map((x) => x.toFixed(0))} mm)`).to.equal(Math.min(...e));
      expect(Math.abs(spans[i]! - trueSpans[i]!), `frame ${i}: hands apart, fitted − true (m)`).to.be.below(ARMS_TOLERANCE_M);
      expect(Math.abs(raises[i]! - trueRaises[i]!), `frame ${i}: hands over shoulders, fitted − true (m)`).to.be.below(ARMS_TOLERANCE_M);
    });

    // The avatar: saves, loads back the same Gaussians, and renders over a good part of the image.
    const avatar = result.avatar;
    try {
      expect(avatar.gaussians.count).to.be.above(100);
      expect(avatar.network).to.not.equal(undefined);
      const bytes = await saveAvatar(avatar);
      const loaded = await loadAvatar(bytes);
      try {
        expect(loaded.gaussians.count).to.equal(avatar.gaussians.count);
      } finally {
        loaded.body.dispose();
      }
      const covered = await coveredFraction(device, avatar, result.camera, result.poses[0]!, result.trans[0]!);
      console.log(`fitFromVideo (poses): rendered avatar covers ${(covered * 100).toFixed(1)} % of the frame`);
      expect(covered).to.be.above(0.03);
    } finally {
      avatar.body.dispose();
    }
  });

  it('holds out every 2nd frame: its pose fitted with the avatar fixed (phase held-out), the loss not worse, the frame in the motion', async () => {
    const progress: FitFromVideoProgress[] = [];
    const result = await fitFromVideo(personClip, { ...tiny(), frameCount: 4, holdOutEvery: 2, detector, onProgress: (p) => progress.push(p) });
    try {
      expect(result.heldOut).to.deep.equal([1, 3]);
      expect(result.dataset.sourceFrames).to.deep.equal([0, 2]);
      expect(result.heldOutPoses).to.have.length(2);
      const fitted = progress.filter((p) => p.phase === 'held-out');
      expect(fitted.map((p) => p.fraction)).to.deep.equal([0, 0.5, 1]);
      expect(progress.at(-1)!.phase, 'held-out is the last phase').to.equal('held-out');
      result.heldOutPoses.forEach(({ pose, trans, loss }, k) => {
        expect([pose.length, trans.length]).to.deep.equal([72, 3]);
        expect(loss, `held-out frame ${k} was fitted`).to.not.equal(undefined);
        expect(loss!.after, `held-out frame ${k}: loss after ≤ before`).to.be.at.most(loss!.before);
        expect(fitted[k + 1]!.loss).to.equal(loss!.after);
      });
      // Every frame is in the motion: the two trained on and the two held out.
      expect(result.motion.frameCount).to.equal(4);
      // Off: the body fit's poses, no phase.
      const plain = await fitFromVideo(personClip, { ...tiny(), frameCount: 4, holdOutEvery: 2, fitHeldOutPoses: false, detector });
      try {
        plain.heldOut.forEach((h, k) => {
          expect(plain.heldOutPoses[k]!.loss).to.equal(undefined);
          expect(Array.from(plain.heldOutPoses[k]!.pose)).to.deep.equal(Array.from(plain.bodyFit.poses.subarray(72 * h, 72 * h + 72)));
        });
      } finally {
        plain.avatar.body.dispose();
      }
    } finally {
      result.avatar.body.dispose();
    }
  });

  for (const phase of ['capture', 'keypoints', 'body-fit', 'stage1', 'stage2', 'held-out'] as const) {
    it(`cancelling during ${phase} rejects with AbortError and stops there`, async () => {
      const controller = new AbortController();
      const after: FitPhase[] = [];
      let detectCallsAtAbort = -1;
      let detectCalls = 0;
      const spy: PoseDetector = {
        detect: (image, frame) => {
          detectCalls++;
          return detector.detect(image, frame);
        },
        reset: () => detector.reset(),
        close: async () => {
          throw new Error('fitFromVideo closed a detector it was given');
        },
      };
      const error = await rejection(fitFromVideo(personClip, {
        ...tiny(), ...(phase === 'held-out' ? { frameCount: 4, holdOutEvery: 2 } : {}), detector: spy, signal: controller.signal,
        onProgress: (p) => {
          if (controller.signal.aborted) after.push(p.phase);
          else if (p.phase === phase && (p.fraction > 0 || phase === 'capture')) {
            detectCallsAtAbort = detectCalls;
            controller.abort();
          }
        },
      }));
      expect(error).to.be.instanceOf(AbortError);
      expect(error.message).to.equal(`fitFromVideo: aborted during ${phase}`);
      expect(detectCallsAtAbort, 'the abort happened').to.be.at.least(0);
      // Nothing runs after the abort: no later phase reports, no more detections.
      const order = ['capture', 'keypoints', 'body-fit', 'stage1', 'stage2', 'held-out'];
      for (const p of after) expect(order.indexOf(p)).to.be.at.most(order.indexOf(phase));
      expect(detectCalls - detectCallsAtAbort, 'detections after the abort').to.equal(0);
    });
  }

  it('a clip with too few frames showing a person gives NoPersonFoundError with the counts', async () => {
    const error = await rejection(fitFromVideo(emptyClip, { ...tiny(), detector }));
    expect(error).to.be.instanceOf(NoPersonFoundError);
    expect(error.message).to.match(/^frames: a person was found in 0 of 3 frame\(s\), at least 3 needed/);
    const fewer = await rejection(fitFromVideo(personClip, { ...tiny(), detector, minFrames: 4 }));
    expect(fewer).to.be.instanceOf(NoPersonFoundError);
    // MediaPipe (tracking across frames) finds the person in 2 or 3 of these decoded frames from run to run.
    expect(fewer.message).to.match(/^frames: a person was found in [1-3] of 3 frame\(s\), at least 4 needed/);
    // Without frameCount the preset's is sampled (light: 24).
    const { frameCount: _given, ...untold } = tiny();
    const light = await rejection(fitFromVideo(emptyClip, { ...untold, preset: 'light', detector }));
    expect(light.message).to.match(/^frames: a person was found in 0 of 24 frame\(s\)/);
  });

  it('a detector failing while frames are still being captured rejects with its error and stops the capture', async () => {
    let captured = 0;
    const broken: PoseDetector = {
      detect: async () => {
        throw new Error('detector broke');
      },
      reset: () => undefined,
      close: async () => undefined,
    };
    const error = await rejection(fitFromVideo(personClip, {
      ...tiny(), frameCount: 12, detector: broken,
      onProgress: (p) => {
        if (p.phase === 'capture') captured = p.fraction;
      },
    }));
    expect(error.message).to.equal('detector broke');
    expect(captured, 'fraction of the frames captured').to.be.below(1);
  });

  it('records a live MediaStream for durationSeconds and leaves its tracks running (they are the caller\'s)', async () => {
    const person = await renderPerson(96, 128);
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [96, 128];
    const context = canvas.getContext('2d')!;
    const stream = canvas.captureStream(30);
    const timer = setInterval(() => context.putImageData(person.image, 0, 0), 40);
    try {
      // minFrames above frameCount: stops after keypoints with the counts, which shows what was recorded.
      const error = await rejection(fitFromVideo(stream, { ...tiny(), detector, durationSeconds: 1.5, minFrames: 10 }));
      expect(error).to.be.instanceOf(NoPersonFoundError);
      expect(error.message).to.match(/^frames: a person was found in [1-3] of 3 frame\(s\), at least 10 needed/);
      expect(stream.getVideoTracks()[0]!.readyState).to.equal('live');
    } finally {
      clearInterval(timer);
      for (const track of stream.getTracks()) track.stop();
    }
  });

  it('bad source and options give AvatarInputError naming the field', async () => {
    const cases: [unknown, unknown, RegExp][] = [
      ['video.webm', {}, /^source: expected a MediaStream, HTMLVideoElement or Blob \(video file\), got/],
      [personClip, { frameCount: 0 }, /^options\.frameCount: expected an integer in 1…10000, got number 0/],
      [personClip, { preset: 'fast' }, /^options\.preset: expected 'auto', 'full' or 'light', got string/],
      [personClip, { maxSize: 4097 }, /^options\.maxSize: expected an integer in 16…4096, got number 4097/],
      [personClip, { minFrames: 1.5 }, /^options\.minFrames: expected an integer in 1…10000/],
      [personClip, { signal: 'stop' }, /^options\.signal: expected an AbortSignal/],
      [personClip, null, /^options: expected an object/],
      [personClip, { cropToPerson: 'yes' }, /^options\.cropToPerson: expected a boolean, got string/],
      [personClip, { holdOutEvery: 1 }, /^options\.holdOutEvery: expected 0 \(none\) or ≥ 2/],
      [personClip, { holdOutEvery: 2, fitHeldOutPoses: 'yes' }, /^options\.fitHeldOutPoses: expected a boolean, got string/],
      [personClip, { training: 3 }, /^options\.training: expected an object of trainAvatar options, got number/],
      [personClip, { training: { background: 'grey' } }, /^options\.background: expected 'random' or 3 numbers/],
    ];
    for (const [source, options, message] of cases) {
      const error = await rejection(fitFromVideo(source as Blob, options as FitFromVideoOptions));
      expect(error, String(message)).to.be.instanceOf(AvatarInputError);
      expect(error.message).to.match(message);
    }
    // A live stream's duration.
    const canvas = document.createElement('canvas');
    canvas.getContext('2d')!.fillRect(0, 0, 1, 1);
    const stream = canvas.captureStream(30);
    try {
      const error = await rejection(fitFromVideo(stream, { durationSeconds: 0, poseDetector: { baseUrl: BASE_URL } }));
      expect(error).to.be.instanceOf(AvatarInputError);
      expect(error.message).to.match(/^options\.durationSeconds: expected a number in \(0, 600\], got number 0/);
    } finally {
      for (const track of stream.getTracks()) track.stop();
    }
  });
});
