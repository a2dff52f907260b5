/**
 * Scoring of fit-mode avatars against real frames, shared by the real-footage benches
 * (real.browser.bench.ts, real-variants.browser.bench.ts): renders at a frame's fitted pose,
 * the frame's person layer (what a perfect avatar draws on black), and the scores of
 * issue 12 — PSNR inside the person mask (and without its 2 px edge band), PSNR and SSIM of the
 * masked frame, silhouette IoU; all sRGB.
 */
import type { Avatar } from '../../src/avatar/types.js';
import { linearToSrgb, SRGB8_TO_LINEAR } from '../../src/color/srgb.js';
import type { FitResult } from '../../src/fit/fit-from-video.js';
import type { FitCamera } from '../../src/fit/types.js';
import { refinePersonMask } from '../../src/fit/refine-person-mask.js';
import { renderAvatarImage } from '../../src/render/render-avatar-image.js';
import { psnrTwin, ssimTwin } from '../train/loss-twin.js';

export interface Scores {
  psnrPerson: number;
  /** The same inside the mask eroded by 2 px: without the edge band, where the real frame mixes person and wall. */
  psnrPersonInner: number;
  psnrMasked: number;
  ssimMasked: number;
  iou: number;
}

export interface Rendered {
  onBlack: ImageData;
  silhouette: Uint8Array;
}

export type FramePose = { pose: Float32Array; trans: Float32Array };

/** Frame h's pose from the body fit alone. */
export function bodyFitPose(fit: FitResult, h: number): FramePose {
  return { pose: fit.bodyFit.poses.slice(72 * h, 72 * h + 72), trans: fit.bodyFit.trans.slice(3 * h, 3 * h + 3) };
}

/** A frame's fitted pose: training frames' after refinement, held-out frames' FitResult.heldOutPoses (fitted with the avatar fixed). */
export function fittedPose(fit: FitResult, h: number): FramePose {
  const k = fit.dataset.sourceFrames.indexOf(h);
  if (k >= 0) return { pose: fit.poses[k]!, trans: fit.trans[k]! };
  const held = fit.heldOutPoses[fit.heldOut.indexOf(h)];
  return held ? { pose: held.pose, trans: held.trans } : bodyFitPose(fit, h);
}

/** The avatar at frame h's fitted pose (or `at`), on black, and its silhouette (alpha > ½ from black and white renders). */
export async function renderAt(device: GPUDevice, avatar: Avatar, fit: FitResult, h: number, at = fittedPose(fit, h)): Promise<Rendered> {
  const camera = cameraOf(fit.camera);
  const { pose, trans } = at;
  const onBlack = await renderAvatarImage(avatar, { pose, trans, camera, background: [0, 0, 0], device });
  const onWhite = await renderAvatarImage(avatar, { pose, trans, camera, background: [1, 1, 1], device });
  const pixels = camera.width * camera.height;
  const silhouette = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) {
    // Compositing is linear: white − black = (1 − α) per channel.
    let transmitted = 0;
    for (let c = 0; c < 3; c++) transmitted += SRGB8_TO_LINEAR[onWhite.data[4 * p + c]!]! - SRGB8_TO_LINEAR[onBlack.data[4 * p + c]!]!;
    silhouette[p] = 1 - transmitted / 3 > 0.5 ? 1 : 0;
  }
  return { onBlack, silhouette };
}

/**
 * What an avatar drawn on black is scored against: `person` inside the mask (≥ ½), `frame` over the
 * whole frame (sRGB 0…1, H×W×3), and the mask (0…255).
 */
interface Reference {
  person: Float32Array;
  frame: Float32Array;
  mask: Uint8Array;
}

/**
 * The frame's person layer: its matte (decontaminated colours × refined mask, composited on black
 * in linear light), what a perfect avatar draws on black — the reference of the main scores.
 */
export function personLayer(image: ImageData, detectorMask: Uint8Array): Reference & { layer: Rendered } {
  const { mask, foreground } = refinePersonMask(image, detectorMask);
  // Quantised to 8 bits, as an avatar's render is.
  const composited = maskedFrame(foreground, mask);
  const onBlack = new ImageData(image.width, image.height);
  const silhouette = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) {
    for (let c = 0; c < 3; c++) onBlack.data[4 * p + c] = Math.round(255 * composited[3 * p + c]!);
    onBlack.data[4 * p + 3] = 255;
    silhouette[p] = mask[p]! >= 128 ? 1 : 0;
  }
  const layer = rgbUnit(onBlack);
  return { person: layer, frame: layer, mask, layer: { onBlack, silhouette } };
}

/**
 * The raw frame: inside the mask the frame itself, and the frame composited on black with the mask
 * (linear light). Its edge pixels mix person and wall, so even a perfect avatar scores low on it
 * (the bench prints that ceiling).
 */
export function rawReference(image: ImageData, mask: Uint8Array): Reference {
  return { person: rgbUnit(image), frame: maskedFrame(image, mask), mask };
}

function cameraOf(c: FitCamera): { width: number; height: number; K: Float32Array; view: Float32Array } {
  return { width: c.width, height: c.height, K: c.K, view: c.view };
}

/** The real frame composited on black with its mask (in linear light), as sRGB 0…1, H×W×3. */
function maskedFrame(image: ImageData, mask: Uint8Array): Float32Array {
  const out = new Float32Array(image.width * image.height * 3);
  for (let p = 0; p < mask.length; p++) {
    const m = mask[p]! / 255;
    for (let c = 0; c < 3; c++) out[3 * p + c] = linearToSrgb(SRGB8_TO_LINEAR[image.data[4 * p + c]!]! * m);
  }
  return out;
}

function rgbUnit(image: ImageData): Float32Array {
  const out = new Float32Array(image.width * image.height * 3);
  for (let p = 0; p < image.width * image.height; p++) for (let c = 0; c < 3; c++) out[3 * p + c] = image.data[4 * p + c]! / 255;
  return out;
}

export function score(reference: Reference, rendered: Rendered): Scores {
  const { mask } = reference;
  const { width, height } = rendered.onBlack;
  const avatar = rgbUnit(rendered.onBlack);
  const inner = erodedMask(mask, width, height, 2);
  let personSq = 0, personCount = 0, innerSq = 0, innerCount = 0, inter = 0, union = 0;
  for (let p = 0; p < width * height; p++) {
    const inMask = mask[p]! >= 128;
    if (inMask) {
      let sq = 0;
      for (let c = 0; c < 3; c++) sq += (reference.person[3 * p + c]! - avatar[3 * p + c]!) ** 2;
      personSq += sq;
      personCount += 3;
      if (inner[p]) {
        innerSq += sq;
        innerCount += 3;
      }
    }
    const inAvatar = rendered.silhouette[p] === 1;
    if (inMask && inAvatar) inter++;
    if (inMask || inAvatar) union++;
  }
  const { frame } = reference;
  let frameSq = 0;
  for (let k = 0; k < frame.length; k++) frameSq += (frame[k]! - avatar[k]!) ** 2;
  return {
    psnrPerson: psnrTwin(personSq / Math.max(1, personCount)),
    psnrPersonInner: psnrTwin(innerSq / Math.max(1, innerCount)),
    psnrMasked: psnrTwin(frameSq / frame.length),
    ssimMasked: ssimTwin(frame, avatar, width, height).ssim,
    iou: union > 0 ? inter / union : 0,
  };
}

/** mask ≥ ½ eroded by `radius` pixels (a square window): the person without its edge band. */
function erodedMask(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let all = true;
      for (let dy = -radius; dy <= radius && all; dy++) {
        for (let dx = -radius; dx <= radius && all; dx++) {
          const xx = x + dx, yy = y + dy;
          all = xx >= 0 && yy >= 0 && xx < width && yy < height && mask[yy * width + xx]! >= 128;
        }
      }
      out[y * width + x] = all ? 1 : 0;
    }
  }
  return out;
}

export function meanScores(all: Scores[]): Scores {
  const m = (k: keyof Scores) => all.reduce((s, x) => s + x[k], 0) / all.length;
  return { psnrPerson: m('psnrPerson'), psnrPersonInner: m('psnrPersonInner'), psnrMasked: m('psnrMasked'), ssimMasked: m('ssimMasked'), iou: m('iou') };
}

export function row(label: string, s: Scores): string {
  return `| ${label} | ${s.psnrPerson.toFixed(2)} dB | ${s.psnrPersonInner.toFixed(2)} dB | ${s.psnrMasked.toFixed(2)} dB | ${s.ssimMasked.toFixed(4)} | ${s.iou.toFixed(3)} |`;
}
