/**
 * The package's default body: MakeHuman's CC0 base human (credit: the MakeHuman community),
 * converted by scripts/build-body.mjs into the SMPL convention — 13 380 vertices, 26 756 triangles
 * with a UV atlas, SMPL's 24 joints and kinematic tree, T-pose rest in metres (y up, facing +z,
 * its left is +x, pelvis joint at the origin, feet at y ≈ −0.88, 1.66 m tall), no pose correctives.
 * AMASS/SMPL poses drive it as they drive SMPL (joint frames = world axes at rest).
 *
 * Ten shape components, PCA over a sampled adult population of MakeHuman's macro sliders (each
 * target carried through the whole conversion, so joints and T-posed limbs follow the shape);
 * βₖ = ±1 is one standard deviation of that population, components ordered by variance, the sign
 * of each chosen to follow the slider it correlates with most:
 * - β0 (91 % of the variance): overall size — +1 ≈ +9.6 cm taller, +16 % volume, broader shoulders,
 *   longer limbs (height and male sliders);
 * - β1 (4.9 %): male build at about the same size — broader shoulders, narrower hips;
 * - β2 (3.1 %): older;
 * - β3: ideal (+) ↔ uncommon (−) proportions, slimmer (−3 % volume per +1);
 * - β4, β5: weight — +1 ≈ +4…5 % volume each, same height (heavier, less muscular);
 * - β6, β7: ethnic shape (african + ↔ asian −); β8: muscular; β9: small mix (older, ethnicity).
 * Joints come from a sparse regressor (a band of ~45 vertices around each joint) that reproduces
 * the rig's joints exactly at β = 0 and follows them along the components (mean 2.7 mm off,
 * worst 27 mm at the knees, over fresh adult samples).
 * The figures are printed by `npm run build:body`.
 */
import { createBodyModel } from './body-model.js';
import { defaultBodyBytes } from './default-body-bytes.js';
import { decodeDefaultBody } from './default-body-format.js';
import type { BodyModel, BodyModelData } from './types.js';

/** The default body's raw arrays (fresh copies on every call; see decodeDefaultBody for the layout). */
export function defaultBodyData(): BodyModelData {
  return decodeDefaultBody(defaultBodyBytes());
}

/** The default body as a ready BodyModel (WebAssembly). Call `dispose()` when done. */
export async function createDefaultBody(): Promise<BodyModel> {
  return createBodyModel(defaultBodyData());
}
