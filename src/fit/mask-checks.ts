/**
 * Checks of a frame's person mask against what else is known about the frame: the face keypoints
 * (a mask that drops the head trains a headless avatar) and the fitted body's silhouette (a mask
 * far from it belongs to something else). The body is drawn on the CPU at a low resolution, which
 * is all an overlap ratio needs. Masks are Uint8Array(width × height), row-major, top row first,
 * 0 = background … 255 = person (PoseFrame.mask); a pixel counts as person from 128 up.
 */

/** MediaPipe Pose's face landmarks: nose, eyes (inner, centre, outer), ears, mouth corners. */
export const FACE_LANDMARKS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
/** A face landmark counts when its visibility is at least this. */
const MIN_FACE_VISIBILITY = 0.5;
/** Fewer visible face landmarks than this: the head is judged by the body's projected head instead. */
const MIN_FACE_POINTS = 2;
const PERSON = 128;

/** Whether the mask is person anywhere within `radius` pixels of (x, y) (pixel coordinates, corner at 0). */
function personNear(mask: Uint8Array, width: number, height: number, x: number, y: number, radius: number): boolean {
  const cx = Math.floor(x), cy = Math.floor(y);
  for (let j = Math.max(0, cy - radius); j <= Math.min(height - 1, cy + radius); j++) {
    for (let i = Math.max(0, cx - radius); i <= Math.min(width - 1, cx + radius); i++) {
      if (mask[j * width + i]! >= PERSON) return true;
    }
  }
  return false;
}

/**
 * Fraction of the visible face landmarks (visibility ≥ 0.5, inside the image) that lie on the
 * mask, within 1 % of the image's longer side (ears sit on the outline). NaN when fewer than 2 are
 * visible (a person seen from behind): use `regionInMaskFraction` with the body's head then.
 * `keypoints`: 33 × (x px, y px, visibility).
 */
export function faceInMaskFraction(mask: Uint8Array, width: number, height: number, keypoints: ArrayLike<number>): number {
  const radius = Math.max(1, Math.round(0.01 * Math.max(width, height)));
  let visible = 0, inside = 0;
  for (const k of FACE_LANDMARKS) {
    const x = keypoints[k * 3]!, y = keypoints[k * 3 + 1]!, v = keypoints[k * 3 + 2]!;
    if (!(v >= MIN_FACE_VISIBILITY) || !(x >= 0 && x < width && y >= 0 && y < height)) continue;
    visible++;
    if (personNear(mask, width, height, x, y, radius)) inside++;
  }
  return visible >= MIN_FACE_POINTS ? inside / visible : Number.NaN;
}

/** A pinhole camera in the fit's convention: K 3×3 column-major (pixels), points already in camera axes (x right, y down, z forward). */
export interface PixelCamera {
  width: number;
  height: number;
  K: ArrayLike<number>;
}

/**
 * Draws triangles (vertices V×3 in camera axes, metres; faces F×3) into a width × height coverage
 * image: 1 where a pixel centre lies inside a projected triangle in front of the camera. `faces`
 * may be a subset (e.g. the head's). `scale` < 1 draws at that fraction of the camera's size.
 */
export function rasterizeSilhouette(vertices: ArrayLike<number>, faces: ArrayLike<number>, camera: PixelCamera, scale = 1): { width: number; height: number; coverage: Uint8Array } {
  const width = Math.max(1, Math.round(camera.width * scale)), height = Math.max(1, Math.round(camera.height * scale));
  const sx = width / camera.width, sy = height / camera.height;
  const fx = camera.K[0]! * sx, fy = camera.K[4]! * sy, cx = camera.K[6]! * sx, cy = camera.K[7]! * sy;
  const V = vertices.length / 3;
  const u = new Float64Array(V), v = new Float64Array(V), front = new Uint8Array(V);
  for (let i = 0; i < V; i++) {
    const z = vertices[i * 3 + 2]!;
    front[i] = z > 1e-6 ? 1 : 0;
    u[i] = (fx * vertices[i * 3]!) / z + cx;
    v[i] = (fy * vertices[i * 3 + 1]!) / z + cy;
  }
  const coverage = new Uint8Array(width * height);
  for (let f = 0; f + 2 < faces.length; f += 3) {
    const a = faces[f]!, b = faces[f + 1]!, c = faces[f + 2]!;
    if (!front[a] || !front[b] || !front[c]) continue;
    const ax = u[a]!, ay = v[a]!, bx = u[b]!, by = v[b]!, qx = u[c]!, qy = v[c]!;
    const area = (bx - ax) * (qy - ay) - (by - ay) * (qx - ax);
    if (area === 0 || !Number.isFinite(area)) continue;
    const x0 = Math.max(0, Math.ceil(Math.min(ax, bx, qx) - 0.5)), x1 = Math.min(width - 1, Math.floor(Math.max(ax, bx, qx) - 0.5));
    const y0 = Math.max(0, Math.ceil(Math.min(ay, by, qy) - 0.5)), y1 = Math.min(height - 1, Math.floor(Math.max(ay, by, qy) - 0.5));
    for (let j = y0; j <= y1; j++) {
      const py = j + 0.5;
      for (let i = x0; i <= x1; i++) {
        const px = i + 0.5;
        // Edge functions with the triangle's winding: inside when all three share the area's sign.
        const w0 = ((bx - px) * (qy - py) - (by - py) * (qx - px)) * area;
        const w1 = ((qx - px) * (ay - py) - (qy - py) * (ax - px)) * area;
        const w2 = ((ax - px) * (by - py) - (ay - py) * (bx - px)) * area;
        if (w0 >= 0 && w1 >= 0 && w2 >= 0) coverage[j * width + i] = 1;
      }
    }
  }
  return { width, height, coverage };
}

/** The mask's value at the centre of a low-resolution pixel (nearest full-resolution pixel). */
function maskAt(mask: Uint8Array, width: number, height: number, i: number, j: number, lowWidth: number, lowHeight: number): number {
  const x = Math.min(width - 1, Math.floor(((i + 0.5) * width) / lowWidth));
  const y = Math.min(height - 1, Math.floor(((j + 0.5) * height) / lowHeight));
  return mask[y * width + x]!;
}

/** Intersection over union of the mask's person pixels and a coverage image of any (lower) resolution; NaN when both are empty. */
export function maskCoverageIoU(mask: Uint8Array, width: number, height: number, silhouette: { width: number; height: number; coverage: Uint8Array }): number {
  let both = 0, either = 0;
  for (let j = 0; j < silhouette.height; j++) {
    for (let i = 0; i < silhouette.width; i++) {
      const person = maskAt(mask, width, height, i, j, silhouette.width, silhouette.height) >= PERSON;
      const body = silhouette.coverage[j * silhouette.width + i] === 1;
      if (person && body) both++;
      if (person || body) either++;
    }
  }
  return either > 0 ? both / either : Number.NaN;
}

/** Fraction of a coverage image's covered pixels where the mask is person (NaN when nothing is covered). */
export function regionInMaskFraction(mask: Uint8Array, width: number, height: number, region: { width: number; height: number; coverage: Uint8Array }): number {
  let covered = 0, inside = 0;
  for (let j = 0; j < region.height; j++) {
    for (let i = 0; i < region.width; i++) {
      if (region.coverage[j * region.width + i] !== 1) continue;
      covered++;
      if (maskAt(mask, width, height, i, j, region.width, region.height) >= PERSON) inside++;
    }
  }
  return covered > 0 ? inside / covered : Number.NaN;
}
