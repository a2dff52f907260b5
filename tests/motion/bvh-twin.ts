/**
 * Test-side BVH forward kinematics with 3×3 matrices: world rotation and position of every joint
 * of a fixture rig for one frame row (rotations compose in channel order, position channels
 * replace the OFFSET).
 */
import { fileOrder, type FixtureRig } from '../helpers/bvh-fixtures.js';
import { IDENTITY, apply, axisRotation, mul, type Mat3, type Vec3 } from './rotation-twin.js';

export function bvhForwardKinematics(
  rig: FixtureRig,
  row: readonly number[],
): Map<string, { world: Mat3; position: Vec3 }> {
  const out = new Map<string, { world: Mat3; position: Vec3 }>();
  let k = 0;
  for (const joint of fileOrder(rig)) {
    let local = [...IDENTITY];
    const t: Vec3 = [...joint.offset];
    for (const ch of joint.channels) {
      const v = row[k++];
      const axis = ch[0] as 'X' | 'Y' | 'Z';
      if (ch.endsWith('rotation')) local = mul(local, axisRotation(axis, (v * Math.PI) / 180));
      else t['XYZ'.indexOf(axis)] = v;
    }
    const parent = joint.parent ? out.get(joint.parent)! : { world: IDENTITY, position: [0, 0, 0] as Vec3 };
    const moved = apply(parent.world, t);
    out.set(joint.name, {
      world: mul(parent.world, local),
      position: [parent.position[0] + moved[0], parent.position[1] + moved[1], parent.position[2] + moved[2]],
    });
  }
  return out;
}
