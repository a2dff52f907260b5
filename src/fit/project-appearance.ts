/**
 * Instant appearance, step 1: the colour every Gaussian of the UV map has in the fitted frames,
 * before any training. Per frame, the body is posed (the fit's pose, translation and shape), its
 * mesh z-buffered from the camera, and every Gaussian (a point on a mesh triangle) that the
 * z-buffer shows is projected into the frame and samples its pixel. Observations are weighted by
 * - viewing angle: cos² of the angle between the surface normal and the ray to the camera (grazing
 *   views smear, and are skipped below `minCosine`);
 * - reliability of the pixel: distance (pixels) to the nearest unreliable pixel — outside the
 *   person mask, or on the posed body's outline or a depth jump (an arm in front of the torso) —
 *   ramping from 0 to 1 over `edgeWidth`, times the mask's value: where the body fit and the mask
 *   disagree by a few pixels, colours would come from the background or the wrong limb;
 * and combined into one robust mean per Gaussian in LINEAR RGB (frames are sRGB and decoded):
 * from the weighted median, a few Cauchy-reweighted means (distances in √linear, roughly
 * perceptual), so frames where the fit was off, or a limb crossed, do not drag the colour.
 *
 * Everything here is CPU work: ~N·F projections plus one small triangle rasterisation per frame.
 */
import type { BodyModel } from '../body/types.js';
import { SRGB8_TO_LINEAR } from '../color/srgb.js';
import { AvatarInputError, describeValue } from '../errors.js';
import { pointNormals, pointPositions, vertexNormals, type SurfacePoints } from './surface-normals.js';

/** A pinhole camera in the OpenCV convention (as the body fit returns it). */
export interface ProjectionCamera {
  width: number;
  height: number;
  /** 3×3 intrinsics, column-major (pixels; pixel (i, j)'s centre at (i + 0.5, j + 0.5)). */
  K: Float32Array | ArrayLike<number>;
  /** 4×4 world → camera, column-major. */
  view: Float32Array | ArrayLike<number>;
}

/** One fitted frame. */
export interface ProjectionFrame {
  /** RGBA 8-bit sRGB pixels, camera.width × camera.height, row-major, top row first. */
  image: ImageData;
  /**
   * Person mask, row-major H×W, top row first: bytes 0…255 (PoseFrame.mask) or floats 0…1.
   * Without one every pixel counts as person (only the body's own outline is distrusted).
   */
  mask?: Uint8Array | Float32Array;
  /** J×3 axis-angle (root first), radians. */
  pose: Float32Array | ArrayLike<number>;
  /** Translation, 3 numbers, metres. */
  trans: Float32Array | ArrayLike<number>;
}

export interface ProjectAppearanceInput {
  body: BodyModel;
  /** Shape, ≤ body.numBetas numbers (default zeros). */
  betas?: Float32Array | ArrayLike<number>;
  /** The Gaussians as points on the body's triangles (the UV map of buildUvPositionalMap). */
  points: SurfacePoints;
  camera: ProjectionCamera;
  frames: readonly ProjectionFrame[];
}

export interface ProjectAppearanceOptions {
  /** Views more grazing than this cosine between normal and view ray are not used. Default 0.25. */
  minCosine?: number;
  /** Pixels over which a pixel's weight ramps up from an unreliable pixel. Default max(2, 1 % of the longer image side). */
  edgeWidth?: number;
  /** Depth (metres) by which a point may lie behind the z-buffer and still count as visible (plus its slope over a pixel). Default 0.02. */
  depthTolerance?: number;
  /** Depth jumps (metres) between neighbouring pixels that count as an occluding edge. Default 0.05. */
  depthEdge?: number;
  /** Summed weight from which a Gaussian counts as seen. Default 0.1 (a tenth of one frontal view of a clean pixel). */
  minWeight?: number;
}

export interface ProjectedAppearance {
  /** N×3 linear RGB: the robust mean of the observations; 0 where nothing was observed. */
  colors: Float32Array;
  /** N: the summed observation weight (each observation ≤ 1): how well each Gaussian was seen. */
  weights: Float32Array;
  /** N: 1 where weights ≥ minWeight. */
  seen: Uint8Array;
  /** N: how many frames observed each Gaussian (weight > 0). */
  views: Uint16Array;
}

const NEAR = 0.05;

/**
 * Colours of the Gaussians `input.points` from the fitted frames (see the file comment).
 * @throws AvatarInputError naming the field for frames, masks or camera that do not fit together.
 */
export function projectAppearance(input: ProjectAppearanceInput, options: ProjectAppearanceOptions = {}): ProjectedAppearance {
  const { body, points, camera, frames } = validate(input);
  const { width: W, height: H } = camera;
  const minCosine = options.minCosine ?? 0.25;
  const edgeWidth = options.edgeWidth ?? Math.max(2, 0.01 * Math.max(W, H));
  const depthTolerance = options.depthTolerance ?? 0.02;
  const depthEdge = options.depthEdge ?? 0.05;
  const minWeight = options.minWeight ?? 0.1;
  const N = points.count;
  // Observations, grouped by Gaussian (CSR): ~20 bytes each, at most N per frame.
  const perFrame = frames.map((frame) => observeFrame(body, input.betas, points, camera, frame, { minCosine, edgeWidth, depthTolerance, depthEdge }));
  const start = new Uint32Array(N + 1);
  for (const { index } of perFrame) for (const i of index) start[i + 1]++;
  for (let i = 0; i < N; i++) start[i + 1] += start[i]!;
  const total = start[N]!;
  const weight = new Float32Array(total), rgb = new Float32Array(3 * total);
  const next = start.slice(0, N);
  for (const frame of perFrame) {
    frame.index.forEach((i, k) => {
      const slot = next[i]++;
      weight[slot] = frame.weight[k]!;
      rgb.set(frame.rgb.subarray(3 * k, 3 * k + 3), 3 * slot);
    });
  }
  const colors = new Float32Array(N * 3);
  const weights = new Float32Array(N);
  const seen = new Uint8Array(N);
  const views = new Uint16Array(N);
  for (let i = 0; i < N; i++) {
    const a = start[i]!, b = start[i + 1]!;
    views[i] = Math.min(65535, b - a);
    let sum = 0;
    for (let k = a; k < b; k++) sum += weight[k]!;
    weights[i] = sum;
    seen[i] = sum >= minWeight ? 1 : 0;
    if (b > a) robustMean(weight, rgb, a, b, colors.subarray(3 * i, 3 * i + 3));
  }
  return { colors, weights, seen, views };
}

/**
 * The robust colour of observations a…b−1 into `out`: from the per-channel weighted median,
 * a few iterations of a Cauchy-reweighted mean (linear RGB), the distances measured in √linear
 * (roughly perceptual: dark colours differ visibly in little linear).
 */
function robustMean(weight: Float32Array, rgb: Float32Array, a: number, b: number, out: Float32Array): void {
  for (let c = 0; c < 3; c++) out[c] = weightedMedian(weight, rgb, a, b, c);
  const scale2 = ROBUST_SCALE * ROBUST_SCALE;
  for (let iteration = 0; iteration < ROBUST_ITERATIONS; iteration++) {
    const r0 = Math.sqrt(out[0]!), g0 = Math.sqrt(out[1]!), b0 = Math.sqrt(out[2]!);
    let sr = 0, sg = 0, sb = 0, sw = 0;
    for (let k = a; k < b; k++) {
      const r = rgb[3 * k]!, g = rgb[3 * k + 1]!, bl = rgb[3 * k + 2]!;
      const dr = Math.sqrt(r) - r0, dg = Math.sqrt(g) - g0, db = Math.sqrt(bl) - b0;
      const w = weight[k]! / (1 + (dr * dr + dg * dg + db * db) / scale2);
      sr += w * r;
      sg += w * g;
      sb += w * bl;
      sw += w;
    }
    if (!(sw > 0)) return;
    out[0] = sr / sw;
    out[1] = sg / sw;
    out[2] = sb / sw;
  }
}

const order: number[] = [];

/** Weighted median of channel `c` of observations a…b−1. */
function weightedMedian(weight: Float32Array, rgb: Float32Array, a: number, b: number, c: number): number {
  order.length = 0;
  let total = 0;
  for (let k = a; k < b; k++) {
    order.push(k);
    total += weight[k]!;
  }
  order.sort((p, q) => rgb[3 * p + c]! - rgb[3 * q + c]!);
  let cumulative = 0;
  for (const k of order) {
    cumulative += weight[k]!;
    if (cumulative >= total / 2) return rgb[3 * k + c]!;
  }
  return rgb[3 * order[order.length - 1]! + c]!;
}

/** Reweighting iterations of the robust mean. */
const ROBUST_ITERATIONS = 3;

/** Scale of the Cauchy reweighting, in √linear units (≈ 0.1: a clearly different colour). */
const ROBUST_SCALE = 0.1;

interface ObserveSettings {
  minCosine: number;
  edgeWidth: number;
  depthTolerance: number;
  depthEdge: number;
}

/** One frame's observations: the Gaussians it sees, their weights and colours (linear RGB, ×3). */
interface FrameObservations {
  index: Uint32Array;
  weight: Float32Array;
  rgb: Float32Array;
}

/** Poses, z-buffers and samples one frame. */
function observeFrame(
  body: BodyModel, betas: ProjectAppearanceInput['betas'], points: SurfacePoints, camera: ProjectionCamera, frame: ProjectionFrame, settings: ObserveSettings,
): FrameObservations {
  const { width: W, height: H, K, view: m } = camera;
  const posed = body.forward({ pose: frame.pose, trans: frame.trans, ...(betas ? { betas } : {}) }).vertices;
  const normals = vertexNormals(posed, body.faces);
  const V = posed.length / 3;
  // Mesh in camera space and on the image (pixel coordinates, x right, y down).
  const camZ = new Float32Array(V), px = new Float32Array(V), py = new Float32Array(V);
  const fx = K[0]!, skew = K[3]!, cx = K[6]!, fy = K[4]!, cy = K[7]!;
  for (let v = 0; v < V; v++) {
    const x = posed[v * 3]!, y = posed[v * 3 + 1]!, z = posed[v * 3 + 2]!;
    const X = m[0]! * x + m[4]! * y + m[8]! * z + m[12]!;
    const Y = m[1]! * x + m[5]! * y + m[9]! * z + m[13]!;
    const Z = m[2]! * x + m[6]! * y + m[10]! * z + m[14]!;
    camZ[v] = Z;
    px[v] = (fx * X + skew * Y) / Z + cx;
    py[v] = (fy * Y) / Z + cy;
  }
  const depth = zBuffer(body.faces, camZ, px, py, W, H);
  const reliability = pixelReliability(depth, frame.mask, W, H, settings);
  const linear = decodeImage(frame.image);
  const positions = pointPositions(points, posed, body.faces);
  const pointNormal = pointNormals(points, normals, body.faces);
  const N = points.count;
  const index = new Uint32Array(N), weights = new Float32Array(N), rgb = new Float32Array(3 * N);
  let count = 0;
  for (let i = 0; i < N; i++) {
    const x = positions[i * 3]!, y = positions[i * 3 + 1]!, z = positions[i * 3 + 2]!;
    const X = m[0]! * x + m[4]! * y + m[8]! * z + m[12]!;
    const Y = m[1]! * x + m[5]! * y + m[9]! * z + m[13]!;
    const Z = m[2]! * x + m[6]! * y + m[10]! * z + m[14]!;
    if (!(Z > NEAR)) continue;
    const u = (fx * X + skew * Y) / Z + cx, v = (fy * Y) / Z + cy;
    if (!(u >= 0 && u < W && v >= 0 && v < H)) continue;
    const nx = pointNormal[i * 3]!, ny = pointNormal[i * 3 + 1]!, nz = pointNormal[i * 3 + 2]!;
    const NX = m[0]! * nx + m[4]! * ny + m[8]! * nz, NY = m[1]! * nx + m[5]! * ny + m[9]! * nz, NZ = m[2]! * nx + m[6]! * ny + m[10]! * nz;
    const cosine = -(NX * X + NY * Y + NZ * Z) / Math.hypot(X, Y, Z);
    if (!(cosine >= settings.minCosine)) continue;
    const pixel = Math.floor(v) * W + Math.floor(u);
    // The z-buffer is sampled at the pixel centre: allow the surface's own slope over a pixel.
    const slope = (Z / fx) * Math.sqrt(1 - cosine * cosine) / cosine;
    if (Z > depth[pixel]! + settings.depthTolerance + slope) continue;
    const weight = cosine * cosine * reliability[pixel]!;
    if (!(weight > 0)) continue;
    index[count] = i;
    weights[count] = weight;
    sampleBilinear(linear, W, H, u - 0.5, v - 0.5, rgb, 3 * count);
    count++;
  }
  return { index: index.slice(0, count), weight: weights.slice(0, count), rgb: rgb.slice(0, 3 * count) };
}

/** Nearest camera depth per pixel centre over the mesh's triangles (perspective-correct); +∞ where none. */
function zBuffer(faces: Uint32Array, camZ: Float32Array, px: Float32Array, py: Float32Array, W: number, H: number): Float32Array {
  const depth = new Float32Array(W * H).fill(Infinity);
  for (let f = 0; f < faces.length; f += 3) {
    const a = faces[f]!, b = faces[f + 1]!, c = faces[f + 2]!;
    if (!(camZ[a]! > NEAR && camZ[b]! > NEAR && camZ[c]! > NEAR)) continue;
    const ax = px[a]!, ay = py[a]!, bx = px[b]!, by = py[b]!, cx = px[c]!, cy = py[c]!;
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (!(Math.abs(area) > 1e-12)) continue;
    const x0 = Math.max(0, Math.ceil(Math.min(ax, bx, cx) - 0.5)), x1 = Math.min(W - 1, Math.floor(Math.max(ax, bx, cx) - 0.5));
    const y0 = Math.max(0, Math.ceil(Math.min(ay, by, cy) - 0.5)), y1 = Math.min(H - 1, Math.floor(Math.max(ay, by, cy) - 0.5));
    const ia = 1 / camZ[a]!, ib = 1 / camZ[b]!, ic = 1 / camZ[c]!;
    for (let y = y0; y <= y1; y++) {
      const sy = y + 0.5;
      for (let x = x0; x <= x1; x++) {
        const sx = x + 0.5;
        const w0 = ((bx - sx) * (cy - sy) - (by - sy) * (cx - sx)) / area;
        const w1 = ((cx - sx) * (ay - sy) - (cy - sy) * (ax - sx)) / area;
        const w2 = 1 - w0 - w1;
        if (w0 < 0 || w1 < 0 || w2 < 0) continue;
        const z = 1 / (w0 * ia + w1 * ib + w2 * ic);
        const k = y * W + x;
        if (z < depth[k]!) depth[k] = z;
      }
    }
  }
  return depth;
}

/**
 * Per pixel 0…1: how far (in units of edgeWidth) it is from the nearest unreliable pixel — outside
 * the mask, on the body's outline, at a depth jump — times the mask's own value. A two-pass
 * chamfer distance (3-4 weights) over the image.
 */
function pixelReliability(depth: Float32Array, mask: Uint8Array | Float32Array | undefined, W: number, H: number, settings: ObserveSettings): Float32Array {
  const maskValue = (k: number) => (mask === undefined ? 1 : mask instanceof Uint8Array ? mask[k]! / 255 : mask[k]!);
  const BIG = 1e9;
  const distance = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const k = y * W + x;
      let unreliable = maskValue(k) < 0.5;
      const z = depth[k]!;
      if (!unreliable && z < Infinity) {
        // Outline or occluding edge: a 4-neighbour off the body or much nearer / farther.
        for (const [dx, dy] of NEIGHBOURS) {
          const nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
          if (!(Math.abs(depth[ny * W + nx]! - z) <= settings.depthEdge)) {
            unreliable = true;
            break;
          }
        }
      }
      distance[k] = unreliable ? 0 : BIG;
    }
  }
  chamfer(distance, W, H);
  const out = new Float32Array(W * H);
  for (let k = 0; k < W * H; k++) out[k] = Math.min(1, Math.max(0, (distance[k]! / 3 - 0.5) / settings.edgeWidth)) * Math.min(1, maskValue(k));
  return out;
}

const NEIGHBOURS = [[1, 0], [-1, 0], [0, 1], [0, -1]] as const;

/** In place: distance (×3, chamfer 3-4) from every pixel to the nearest zero pixel. */
function chamfer(d: Float32Array, W: number, H: number): void {
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const k = y * W + x;
      let v = d[k]!;
      if (x > 0) v = Math.min(v, d[k - 1]! + 3);
      if (y > 0) {
        v = Math.min(v, d[k - W]! + 3);
        if (x > 0) v = Math.min(v, d[k - W - 1]! + 4);
        if (x < W - 1) v = Math.min(v, d[k - W + 1]! + 4);
      }
      d[k] = v;
    }
  }
  for (let y = H - 1; y >= 0; y--) {
    for (let x = W - 1; x >= 0; x--) {
      const k = y * W + x;
      let v = d[k]!;
      if (x < W - 1) v = Math.min(v, d[k + 1]! + 3);
      if (y < H - 1) {
        v = Math.min(v, d[k + W]! + 3);
        if (x < W - 1) v = Math.min(v, d[k + W + 1]! + 4);
        if (x > 0) v = Math.min(v, d[k + W - 1]! + 4);
      }
      d[k] = v;
    }
  }
}

/** RGBA8 sRGB → H×W×3 linear floats. */
function decodeImage(image: ImageData): Float32Array {
  const { data, width, height } = image;
  const out = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    out[p * 3] = SRGB8_TO_LINEAR[data[p * 4]!]!;
    out[p * 3 + 1] = SRGB8_TO_LINEAR[data[p * 4 + 1]!]!;
    out[p * 3 + 2] = SRGB8_TO_LINEAR[data[p * 4 + 2]!]!;
  }
  return out;
}

/** Bilinear sample of an H×W×3 image at (x, y) in pixel-centre coordinates (pixel (i, j) at (i, j)), clamped to the edge, into out[at…at+2]. */
function sampleBilinear(image: Float32Array, W: number, H: number, x: number, y: number, out: Float32Array, at: number): void {
  const x0 = Math.floor(x), y0 = Math.floor(y), fx = x - x0, fy = y - y0;
  const c0 = Math.min(W - 1, Math.max(0, x0)), c1 = Math.min(W - 1, Math.max(0, x0 + 1));
  const r0 = Math.min(H - 1, Math.max(0, y0)), r1 = Math.min(H - 1, Math.max(0, y0 + 1));
  const a = (r0 * W + c0) * 3, b = (r0 * W + c1) * 3, c = (r1 * W + c0) * 3, d = (r1 * W + c1) * 3;
  const wa = (1 - fx) * (1 - fy), wb = fx * (1 - fy), wc = (1 - fx) * fy, wd = fx * fy;
  for (let k = 0; k < 3; k++) out[at + k] = wa * image[a + k]! + wb * image[b + k]! + wc * image[c + k]! + wd * image[d + k]!;
}

function validate(input: ProjectAppearanceInput): ProjectAppearanceInput {
  if (input === null || typeof input !== 'object') throw new AvatarInputError(`input: expected { body, points, camera, frames }, got ${describeValue(input)}`);
  const { body, points, camera, frames } = input;
  if (!body || typeof body.forward !== 'function') throw new AvatarInputError(`body: expected a BodyModel, got ${describeValue(body)}`);
  if (!points || !Number.isInteger(points.count) || !(points.faceIndex instanceof Uint32Array) || points.faceIndex.length !== points.count
    || !(points.barycentric instanceof Float32Array) || points.barycentric.length !== 3 * points.count) {
    throw new AvatarInputError(`points: expected { count, faceIndex Uint32Array(N), barycentric Float32Array(N×3) } (a UV positional map), got ${describeValue(points)}`);
  }
  const faces = body.faces.length / 3;
  for (let i = 0; i < points.count; i++) {
    if (points.faceIndex[i]! >= faces) throw new AvatarInputError(`points.faceIndex[${i}]: expected a triangle of the body (< ${faces}), got ${points.faceIndex[i]}`);
  }
  if (!camera || !Number.isInteger(camera.width) || !Number.isInteger(camera.height) || camera.width < 1 || camera.height < 1) {
    throw new AvatarInputError(`camera: expected { width, height (positive integers), K, view }, got ${describeValue(camera)}`);
  }
  if (!camera.K || camera.K.length !== 9 || Array.from(camera.K).some((v) => !Number.isFinite(v))) throw new AvatarInputError(`camera.K: expected 9 finite numbers (3×3 column-major), got ${describeValue(camera.K)}`);
  if (!camera.view || camera.view.length !== 16 || Array.from(camera.view).some((v) => !Number.isFinite(v))) throw new AvatarInputError(`camera.view: expected 16 finite numbers (4×4 column-major), got ${describeValue(camera.view)}`);
  if (!Array.isArray(frames)) throw new AvatarInputError(`frames: expected an array of { image, mask?, pose, trans }, got ${describeValue(frames)}`);
  const J = body.numJoints;
  frames.forEach((frame, f) => {
    const image = frame?.image;
    if (!image || image.width !== camera.width || image.height !== camera.height || !image.data || image.data.length !== 4 * camera.width * camera.height) {
      throw new AvatarInputError(`frames[${f}].image: expected ${camera.width}×${camera.height} RGBA ImageData (the camera's size), got ${image ? `${image.width}×${image.height}` : describeValue(image)}`);
    }
    if (frame.mask !== undefined && (!(frame.mask instanceof Uint8Array || frame.mask instanceof Float32Array) || frame.mask.length !== camera.width * camera.height)) {
      throw new AvatarInputError(`frames[${f}].mask: expected Uint8Array or Float32Array(${camera.width * camera.height}) (H×W), got ${describeValue(frame.mask)}`);
    }
    if (!frame.pose || frame.pose.length !== 3 * J) throw new AvatarInputError(`frames[${f}].pose: expected ${3 * J} numbers (J×3 axis-angle), got ${describeValue(frame.pose)}`);
    if (!frame.trans || frame.trans.length !== 3) throw new AvatarInputError(`frames[${f}].trans: expected 3 numbers (metres), got ${describeValue(frame.trans)}`);
  });
  return input;
}
