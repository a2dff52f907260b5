// Types of scripts/body/asset-writer.mjs (for the node test that round-trips a body through it).
export declare const MAGIC: string;
export declare const SHAPE_STEP_M: number;
export declare function deltaPlanes(values: ArrayLike<number>): Uint8Array;
export declare function encodeDefaultBody(body: {
  vTemplate: ArrayLike<number>;
  faces: ArrayLike<number>;
  uvs: ArrayLike<number>;
  uvFaces: ArrayLike<number>;
  parents: ArrayLike<number>;
  /** V×24, dense. */
  weights: ArrayLike<number>;
  /** Per joint, its vertices and their weights. */
  regressor: { indices: number[]; weights: number[] }[];
  /** V×3×B, index (v·3 + c)·B + b. */
  shapedirs: ArrayLike<number>;
  numBetas: number;
}): Uint8Array;
