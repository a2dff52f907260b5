/**
 * Where the body's outline should move to match the person mask, as 2D targets for a few body
 * vertices (the body fit then treats them like keypoints: silhouette-fit.ts). Keypoints pin the
 * skeleton but not the flesh around it (how wide the hips are, where an arm's edge is, which way a
 * forearm rolls); the mask sees that. Two terms, as in silhouette-based body fitting
 * (SMPLify-style fits with a silhouette, "Video Based Reconstruction of 3D People Models"):
 *   - inside: the clothed person's silhouette contains the body's, so a body vertex projecting
 *     outside the mask is pulled to the mask's nearest pixel;
 *   - fill: a mask contour pixel the body does not reach pulls the nearest vertex on the body's
 *     outline towards it, unless it is further than `maxReach` (hair, a skirt: not the body).
 * Pixel coordinates: x right, y down, pixel centres at +0.5 (as the keypoints).
 */
import { distanceTo, nearestTargetPixel } from './distance-transform.js';

/** What a frame's mask offers the fit, computed once per frame. */
export interface MaskGeometry {
  width: number;
  height: number;
  /** 1 where the mask says person (≥ ½). */
  inside: Uint8Array;
  /** Per pixel, the nearest person pixel's index (−1 when the mask is empty). */
  nearestInside: Int32Array;
  /** Person pixels with a background 4-neighbour (not the image's border: the person may go on past it). */
  contour: Int32Array;
  /** The person's height in pixels (the mask's vertical extent). */
  personHeight: number;
}

export function maskGeometry(mask: Uint8Array, width: number, height: number): MaskGeometry {
  const inside = new Uint8Array(width * height);
  let top = height, bottom = -1;
  for (let p = 0; p < inside.length; p++) {
    if (mask[p]! < 128) continue;
    inside[p] = 1;
    const y = Math.floor(p / width);
    if (y < top) top = y;
    if (y > bottom) bottom = y;
  }
  const contour: number[] = [];
  for (let y = 1; y + 1 < height; y++) {
    for (let x = 1; x + 1 < width; x++) {
      const p = y * width + x;
      if (inside[p] && (!inside[p - 1] || !inside[p + 1] || !inside[p - width] || !inside[p + width])) contour.push(p);
    }
  }
  return { width, height, inside, nearestInside: nearestTargetPixel(inside, width, height), contour: Int32Array.from(contour), personHeight: Math.max(0, bottom - top + 1) };
}

export interface SilhouetteTargetSettings {
  /** Confidence of each inside-term target (scaled down when more than `fullCount` vertices have one). */
  insideWeight: number;
  /** Confidence of each fill-term target (likewise). */
  fillWeight: number;
  /** The number of targets per term up to which each keeps its full weight. */
  fullCount: number;
  /** Furthest a fill target may be from its vertex, as a fraction of the person's height. */
  maxReach: number;
  /** Vertices within this many pixels of the body silhouette's edge count as on its outline. */
  outlineWidth: number;
}

export const DEFAULT_SILHOUETTE_TARGETS: Readonly<SilhouetteTargetSettings> = {
  insideWeight: 1,
  fillWeight: 0.5,
  fullCount: 24,
  maxReach: 0.06,
  outlineWidth: 2,
};

/** Per sample vertex: a target pixel (u, v) and its confidence (0 = none), S×3. */
export function silhouetteTargets(
  projected: Float64Array, samples: Int32Array, bodySilhouette: Uint8Array, mask: MaskGeometry,
  settings: SilhouetteTargetSettings = DEFAULT_SILHOUETTE_TARGETS,
): Float64Array {
  const { width, height } = mask;
  const S = samples.length;
  const out = new Float64Array(S * 3);
  if (mask.contour.length === 0) return out;
  const pixelOf = (s: number) => {
    const u = projected[samples[s]! * 2]!, v = projected[samples[s]! * 2 + 1]!;
    if (!Number.isFinite(u) || !Number.isFinite(v)) return -1;
    return Math.min(height - 1, Math.max(0, Math.floor(v))) * width + Math.min(width - 1, Math.max(0, Math.floor(u)));
  };
  const offImage = (s: number) => {
    const u = projected[samples[s]! * 2]!, v = projected[samples[s]! * 2 + 1]!;
    return u < 0 || v < 0 || u >= width || v >= height;
  };

  // Inside: vertices outside the mask, to its nearest pixel.
  let insideCount = 0;
  const hasTarget = new Uint8Array(S);
  for (let s = 0; s < S; s++) {
    const p = pixelOf(s);
    if (p < 0 || offImage(s) || mask.inside[p]) continue;
    const q = mask.nearestInside[p]!;
    if (q < 0) continue;
    out.set([(q % width) + 0.5, Math.floor(q / width) + 0.5, 1], s * 3);
    hasTarget[s] = 1;
    insideCount++;
  }

  // Fill: uncovered contour pixels pull the nearest outline vertex.
  const uncovered = new Uint8Array(width * height);
  for (let p = 0; p < uncovered.length; p++) uncovered[p] = bodySilhouette[p] ? 0 : 1;
  const toEdge = distanceTo(uncovered, width, height);
  const outline: number[] = [];
  for (let s = 0; s < S; s++) {
    const p = pixelOf(s);
    if (p >= 0 && !offImage(s) && toEdge[p]! <= settings.outlineWidth) outline.push(s);
  }
  const sumU = new Float64Array(S), sumV = new Float64Array(S), count = new Float64Array(S);
  const reach2 = (settings.maxReach * mask.personHeight) ** 2;
  for (const c of mask.contour) {
    if (bodySilhouette[c]) continue;
    const cu = (c % width) + 0.5, cv = Math.floor(c / width) + 0.5;
    let best = -1, bestD2 = reach2;
    for (const s of outline) {
      const du = projected[samples[s]! * 2]! - cu, dv = projected[samples[s]! * 2 + 1]! - cv;
      const d2 = du * du + dv * dv;
      if (d2 < bestD2) { bestD2 = d2; best = s; }
    }
    if (best < 0 || hasTarget[best]) continue;
    sumU[best]! += cu; sumV[best]! += cv; count[best]! += 1;
  }
  let fillCount = 0;
  for (let s = 0; s < S; s++) {
    if (count[s]! > 0) {
      out.set([sumU[s]! / count[s]!, sumV[s]! / count[s]!, 2], s * 3);
      fillCount++;
    }
  }
  // Confidences: each term keeps its full weight up to fullCount targets, then shares it.
  const insideScale = settings.insideWeight * Math.min(1, settings.fullCount / Math.max(1, insideCount));
  const fillScale = settings.fillWeight * Math.min(1, settings.fullCount / Math.max(1, fillCount));
  for (let s = 0; s < S; s++) {
    const kind = out[s * 3 + 2]!;
    out[s * 3 + 2] = kind === 1 ? insideScale : kind === 2 ? fillScale : 0;
  }
  return out;
}

/**
 * `count` vertices spread evenly over the body (farthest-point sampling on the rest template,
 * V×3, starting from vertex 0): deterministic, so every fit samples the same vertices.
 */
export function spreadVertices(template: Float32Array, count: number): Int32Array {
  const V = template.length / 3;
  const n = Math.min(count, V);
  const chosen = new Int32Array(n);
  const d2 = new Float64Array(V).fill(Infinity);
  let next = 0;
  for (let k = 0; k < n; k++) {
    chosen[k] = next;
    const x = template[next * 3]!, y = template[next * 3 + 1]!, z = template[next * 3 + 2]!;
    let far = 0, farD2 = -1;
    for (let v = 0; v < V; v++) {
      const dx = template[v * 3]! - x, dy = template[v * 3 + 1]! - y, dz = template[v * 3 + 2]! - z;
      const d = dx * dx + dy * dy + dz * dz;
      if (d < d2[v]!) d2[v] = d;
      if (d2[v]! > farD2) { farD2 = d2[v]!; far = v; }
    }
    next = far;
  }
  return chosen;
}
