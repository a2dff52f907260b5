// The SMPL skeleton and how the MakeHuman game-engine rig maps onto it.

export const SMPL_JOINT_NAMES = [
  'pelvis', 'L_hip', 'R_hip', 'spine1', 'L_knee', 'R_knee', 'spine2', 'L_ankle', 'R_ankle', 'spine3',
  'L_foot', 'R_foot', 'neck', 'L_collar', 'R_collar', 'head', 'L_shoulder', 'R_shoulder', 'L_elbow',
  'R_elbow', 'L_wrist', 'R_wrist', 'L_hand', 'R_hand',
];
export const SMPL_PARENTS = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21];

/** Game-engine bone → SMPL joint (finger bones handled by `smplJointOfBone`). */
const BONE_TO_JOINT = {
  pelvis: 0, thigh_l: 1, thigh_r: 2, spine_01: 3, calf_l: 4, calf_r: 5, spine_02: 6, foot_l: 7, foot_r: 8,
  spine_03: 9, ball_l: 10, ball_r: 11, neck_01: 12, clavicle_l: 13, clavicle_r: 14, head: 15,
  upperarm_l: 16, upperarm_r: 17, lowerarm_l: 18, lowerarm_r: 19, hand_l: 20, hand_r: 21,
};
const FINGER = /^(thumb|index|middle|ring|pinky)_0\d_([lr])$/;

/** SMPL joint a bone's weights go to: the map above, fingers → L/R_hand, others → nearest mapped ancestor. */
export function smplJointOfBone(bone, rig) {
  for (let b = bone; b; b = rig[b].parent) {
    if (b in BONE_TO_JOINT) return BONE_TO_JOINT[b];
    const finger = FINGER.exec(b);
    if (finger) return finger[2] === 'l' ? 22 : 23;
  }
  return 0; // Root (no mapped ancestor) moves with the pelvis.
}

/** The bone whose head is each SMPL joint's position; L/R_hand sit at the middle-finger knuckle. */
export const JOINT_BONES = [
  'pelvis', 'thigh_l', 'thigh_r', 'spine_01', 'calf_l', 'calf_r', 'spine_02', 'foot_l', 'foot_r', 'spine_03',
  'ball_l', 'ball_r', 'neck_01', 'clavicle_l', 'clavicle_r', 'head', 'upperarm_l', 'upperarm_r', 'lowerarm_l',
  'lowerarm_r', 'hand_l', 'hand_r', 'middle_01_l', 'middle_01_r',
];
