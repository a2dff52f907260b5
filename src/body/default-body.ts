/**
 * The package's default body: MakeHuman's CC0 base human (credit: the MakeHuman community),
 * converted by scripts/build-body.mjs into the SMPL convention — 13 380 vertices, 26 756 triangles
 * with a UV atlas, SMPL's 24 joints and kinematic tree, T-pose rest in metres (y up, facing +z,
 * its left is +x, pelvis joint at the origin, feet at y ≈ −0.88, 1.66 m tall), no pose correctives.
 * AMASS/SMPL poses drive it as they drive SMPL (joint frames = world axes at rest).
 *
 * Ten shape components (PCA over a sampled adult population of MakeHuman's macro sliders; βₖ = ±1
 * is one standard deviation of that population, components ordered by variance):
 * - β0 (97 % of the variance): overall size — +1 ≈ +9.7 cm taller and +12 % volume (height, male);
 * - β1: male build at equal height (broader shoulders, narrower hips), +2 % volume;
 * - β2: older (and more male), slightly shorter;
 * - β3: ethnic face/body shape (asian ↔ african);
 * - β4: uncommon (−) ↔ ideal (+) proportions;
 * - β5: weight — +1 ≈ +7 % volume (heavier, less muscular);
 * - β6…β9: smaller mixes of ethnicity, age, muscle and weight (β9: more muscular and heavier).
 * The figures are printed by `npm run build:body`.
 */
import { createBodyModel } from './body-model.js';
import { DEFAULT_BODY_BASE64 } from './default-body-asset.generated.js';
import { decodeDefaultBody } from './default-body-format.js';
import type { BodyModel, BodyModelData } from './types.js';

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The default body's raw arrays (fresh copies on every call; see decodeDefaultBody for the layout). */
export function defaultBodyData(): BodyModelData {
  return decodeDefaultBody(base64ToBytes(DEFAULT_BODY_BASE64));
}

/** The default body as a ready BodyModel (WebAssembly). Call `dispose()` when done. */
export async function createDefaultBody(): Promise<BodyModel> {
  return createBodyModel(defaultBodyData());
}
