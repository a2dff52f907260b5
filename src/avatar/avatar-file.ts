/**
 * `.gavatar` files: `saveAvatar(avatar) → bytes` and `loadAvatar(bytes) → Avatar`. The format
 * (a zip of `avatar.json` plus little-endian `.npy` arrays) is documented, with its version
 * history, in docs/avatar-format.md. A round trip is bit-exact: every array comes back byte for byte.
 *
 * Loading trusts nothing: every declared count, shape, dtype and size is checked before anything is
 * allocated or inflated, every float must be finite, and every inconsistency is an AvatarFormatError
 * naming the field (`avatar.json.version: expected ≤ 1, got 7`, `gaussians.scales: expected N = 100
 * float32 values, got 99`).
 */
import { zipSync, type Zippable } from 'fflate';
import { createBodyModel } from '../body/body-model.js';
import { defaultBodyData } from '../body/default-body.js';
import type { BodyModel, BodyModelData } from '../body/types.js';
import { validateBodyModelData } from '../body/validate.js';
import { AvatarFormatError, AvatarInputError, GaussianAvatarError, describeValue } from '../errors.js';
import { parseNpy } from '../io/npy.js';
import { npyDtypeOf, writeNpy, type NpyWritable } from '../io/npy-write.js';
import { checkInputSize, resolveInputLimits, type InputLimits } from '../io/input-limits.js';
import { toBytes } from '../io/npz.js';
import { InflateBudget, listZipEntries, readZipEntry, type ZipEntry } from '../io/zip-entries.js';
import { bodyFingerprint } from './body-fingerprint.js';
import type { AppearanceNetworkWeights, Avatar, AvatarMetadata, NetworkTensor } from './types.js';
import { checkAvatarContents, MAX_RESOLUTION, type ErrorClass } from './validate-avatar.js';

/** `avatar.json.format` of every `.gavatar` file. */
export const AVATAR_FORMAT_NAME = 'gaussian-avatar';
/** The format version this code writes, and the newest it reads. */
export const AVATAR_FORMAT_VERSION = 1;

const JSON_ENTRY = 'avatar.json';
/** avatar.json larger than this is refused before inflating (it holds metadata and a directory only). */
const MAX_JSON_BYTES = 16 * 2 ** 20;
/** Room for an npy header (numpy's v2/v3 headers may be up to 4 GiB in theory; real ones are < 1 KiB). */
const MAX_NPY_HEADER_BYTES = 65536 + 12;
/** Largest element count of any one array (2^31: far beyond any avatar, and typed arrays can hold it). */
const MAX_ELEMENTS = 2 ** 31;

/** Entry names of the fixed arrays (format version 1). */
const ENTRY = {
  betas: 'betas.npy',
  canonicalTransforms: 'canonical_transforms.npy',
  texels: 'gaussians/texels.npy',
  positions: 'gaussians/positions.npy',
  weights: 'gaussians/weights.npy',
  colors: 'gaussians/colors.npy',
  scales: 'gaussians/scales.npy',
  vTemplate: 'body/v_template.npy',
  shapedirs: 'body/shapedirs.npy',
  posedirs: 'body/posedirs.npy',
  jRegressor: 'body/j_regressor.npy',
  bodyWeights: 'body/weights.npy',
  parents: 'body/parents.npy',
  faces: 'body/faces.npy',
  uvs: 'body/uvs.npy',
  uvFaces: 'body/uv_faces.npy',
} as const;

type Dtype = '<f4' | '<u4' | '<i4';

/** One row of `avatar.json.arrays`: what an `.npy` entry holds. */
interface ArrayRecord {
  dtype: Dtype;
  shape: number[];
}

/** `avatar.json.body` (see docs/avatar-format.md). */
type BodyRecord =
  | { source: 'default'; fingerprint: string; numVertices: number; numJoints: number; numBetas: number }
  | {
      source: 'embedded';
      numVertices: number;
      numJoints: number;
      numBetas: number;
      numFaces: number;
      /** T, the number of UV coordinates; 0 when the body has no UV layout. */
      numUvs: number;
      poseCorrectives: boolean;
    };

/** `avatar.json` (see docs/avatar-format.md). */
interface AvatarJson {
  format: typeof AVATAR_FORMAT_NAME;
  version: number;
  metadata: AvatarMetadata;
  bodySource: 'default' | 'embedded';
  body: BodyRecord;
  gaussians: { resolution: number; count: number };
  network: null | {
    architecture: string;
    config: Record<string, number | string | boolean>;
    tensors: { name: string; entry: string }[];
  };
  arrays: Record<string, ArrayRecord>;
}

export interface SaveAvatarOptions {
  /**
   * Deflate level, 0 (stored, fastest) … 9 (smallest), of the entries that compress: skinning weights
   * (mostly zeros), texel indices and the embedded body's arrays. Dense float arrays (positions,
   * colours, scales, network tensors) are always stored: they deflate by only ~8 %. Default 1.
   */
  level?: number;
  /**
   * Store the body's arrays even when `bodySource` is `default`, so the file does not depend on the
   * package's default body staying the same (+~4 MB). The loaded avatar then has `bodySource: 'embedded'`.
   */
  embedBody?: boolean;
}

export interface LoadAvatarOptions {
  /**
   * Largest uncompressed size accepted for one entry, bytes (zip-bomb guard); the same as
   * `limits.maxEntryBytes`, which it overrides. Default 256 MiB.
   */
  maxEntryBytes?: number;
  /**
   * Input limits (src/io/input-limits.ts): `maxAvatarBytes` (the file, default 256 MiB),
   * `maxEntryBytes` and `maxInflatedBytes` (all entries together, default 512 MiB) apply.
   */
  limits?: InputLimits;
}

/**
 * Fingerprints of earlier versions of the default body whose files still load against this one:
 * the same mesh, skeleton and UV layout, the geometry within the stated distance (Gaussians built
 * on them sit where they did, to well under a pixel).
 */
const EARLIER_DEFAULT_BODIES: Record<string, string> = {
  // gaussian-avatar 0.1.0's float32 asset (GADBODY1); the compact GADBODY2 is within 0.05 mm of it.
  'fnv1a32x2:034e4f7741cbfe94': 'float32 default body (GADBODY1)',
};

/** The default body's arrays and fingerprint, decoded once (decoding takes ~100 ms, copying ~2 ms). */
let defaultBody: { data: BodyModelData; fingerprint: string } | undefined;

function decodedDefaultBody(): { data: BodyModelData; fingerprint: string } {
  if (!defaultBody) {
    const data = defaultBodyData();
    defaultBody = { data, fingerprint: bodyFingerprint(data) };
  }
  return defaultBody;
}

/** Fingerprint of the package's default body. */
function defaultBodyFingerprint(): string {
  return decodedDefaultBody().fingerprint;
}

/** A private copy of the default body's arrays, so no two loaded avatars share (mutable) arrays. */
function copyOfDefaultBodyData(): BodyModelData {
  const d = decodedDefaultBody().data;
  const copy: BodyModelData = {
    vTemplate: d.vTemplate.slice(), shapedirs: d.shapedirs.slice(), numBetas: d.numBetas, posedirs: d.posedirs.slice(),
    jRegressor: d.jRegressor.slice(), weights: d.weights.slice(), parents: d.parents.slice(), faces: d.faces.slice(),
  };
  if (d.uvs) copy.uvs = d.uvs.slice();
  if (d.uvFaces) copy.uvFaces = d.uvFaces.slice();
  return copy;
}

/** Runs a body-data validator and prefixes its messages with `body.`, as `Err`. */
function checkBodyData(Err: ErrorClass, data: BodyModelData): void {
  try {
    validateBodyModelData(data);
  } catch (e) {
    if (e instanceof GaussianAvatarError) throw new Err(`body.${e.message}`);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Saving

/**
 * Encodes `avatar` as a `.gavatar` file (a zip; see docs/avatar-format.md). Throws AvatarInputError
 * naming the field when the avatar is inconsistent (wrong lengths, NaN, weights not summing to 1,
 * `bodySource: 'default'` with a body that is not the default one, metadata that is not JSON).
 * The output is deterministic: the same avatar always gives the same bytes.
 */
export function saveAvatar(avatar: Avatar, options: SaveAvatarOptions = {}): Uint8Array {
  if (typeof avatar !== 'object' || avatar === null) {
    throw new AvatarInputError(`avatar: expected an Avatar object, got ${describeValue(avatar)}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new AvatarInputError(`options: expected { level?, embedBody? }, got ${describeValue(options)}`);
  }
  const level = options.level ?? 1;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new AvatarInputError(`options.level: expected an integer 0…9, got ${describeValue(level)}`);
  }
  const body = avatar.body;
  if (typeof body !== 'object' || body === null || typeof body.data !== 'object' || body.data === null) {
    throw new AvatarInputError(`body: expected a BodyModel (with .data), got ${describeValue(body)}`);
  }
  if (avatar.bodySource !== 'default' && avatar.bodySource !== 'embedded') {
    throw new AvatarInputError(`bodySource: expected "default" or "embedded", got ${describeValue(avatar.bodySource)}`);
  }
  const data = body.data;
  checkBodyData(AvatarInputError, data);
  const V = data.vTemplate.length / 3, J = data.parents.length, B = data.numBetas;
  const embed = avatar.bodySource === 'embedded' || options.embedBody === true;
  let fingerprint = '';
  if (avatar.bodySource === 'default') {
    fingerprint = bodyFingerprint(data);
    if (fingerprint !== defaultBodyFingerprint()) {
      throw new AvatarInputError(
        'bodySource: "default", but avatar.body is not this package\'s default body (its arrays differ); use bodySource "embedded"',
      );
    }
  }
  checkAvatarContents(AvatarInputError, avatar, J, B);

  const files: Zippable = {};
  const arrays: Record<string, ArrayRecord> = {};
  // Dense float data (positions, colours, network weights) barely deflates (~8 %) and deflating it
  // dominates the save time, so it is stored; skinning weights (mostly zeros) and index arrays are deflated.
  const put = (entry: string, array: NpyWritable, shape: number[], deflate = false) => {
    files[entry] = [writeNpy(array, shape, entry), { level: (deflate ? level : 0) as 0 }];
    arrays[entry] = { dtype: npyDtypeOf(array), shape };
  };
  const g = avatar.gaussians;
  const N = g.count;
  put(ENTRY.betas, avatar.betas, [B]);
  put(ENTRY.canonicalTransforms, avatar.canonicalTransforms, [J, 16]);
  put(ENTRY.texels, g.texels, [N], true);
  put(ENTRY.positions, g.positions, [N, 3]);
  put(ENTRY.weights, g.weights, [N, J], true);
  put(ENTRY.colors, g.colors, [N, 3]);
  put(ENTRY.scales, g.scales, [N]);

  let bodyRecord: BodyRecord;
  if (embed) {
    const F = data.faces.length / 3;
    const T = data.uvs ? data.uvs.length / 2 : 0;
    const P = data.posedirs.length / (V * 3);
    bodyRecord = { source: 'embedded', numVertices: V, numJoints: J, numBetas: B, numFaces: F, numUvs: T, poseCorrectives: P > 0 };
    put(ENTRY.vTemplate, data.vTemplate, [V, 3]);
    put(ENTRY.shapedirs, data.shapedirs, [V, 3, B], true);
    put(ENTRY.posedirs, data.posedirs, [V, 3, P], true);
    put(ENTRY.jRegressor, data.jRegressor, [J, V], true);
    put(ENTRY.bodyWeights, data.weights, [V, J], true);
    put(ENTRY.parents, data.parents, [J], true);
    put(ENTRY.faces, data.faces, [F, 3], true);
    if (data.uvs && data.uvFaces) {
      put(ENTRY.uvs, data.uvs, [T, 2]);
      put(ENTRY.uvFaces, data.uvFaces, [F, 3], true);
    }
  } else {
    bodyRecord = { source: 'default', fingerprint, numVertices: V, numJoints: J, numBetas: B };
  }

  let network: AvatarJson['network'] = null;
  if (avatar.network) {
    const tensors = Object.entries(avatar.network.tensors).map(([name, tensor], index) => {
      const entry = `network/${String(index).padStart(4, '0')}.npy`;
      put(entry, tensor.data, tensor.shape.slice());
      return { name, entry };
    });
    network = { architecture: avatar.network.architecture, config: { ...avatar.network.config }, tensors };
  }

  const json: AvatarJson = {
    format: AVATAR_FORMAT_NAME,
    version: AVATAR_FORMAT_VERSION,
    metadata: avatar.metadata,
    bodySource: embed ? 'embedded' : 'default',
    body: bodyRecord,
    gaussians: { resolution: g.resolution, count: N },
    network,
    arrays,
  };
  let text: string;
  try {
    text = JSON.stringify(json, null, 1);
  } catch (e) {
    throw new AvatarInputError(`metadata: expected JSON-serialisable values (${(e as Error).message})`);
  }
  // avatar.json first, so a reader streaming the zip meets the directory before the arrays.
  const ordered: Zippable = { [JSON_ENTRY]: [new TextEncoder().encode(text), { level: 6 }] };
  for (const [name, bytes] of Object.entries(files)) ordered[name] = bytes;
  // A fixed timestamp (the zip epoch) keeps the output deterministic.
  return zipSync(ordered, { level: level as 0, mtime: new Date(1980, 0, 1) });
}

// ---------------------------------------------------------------------------------------------
// Loading

const fail = (message: string) => new AvatarFormatError(message);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (!isObject(value)) throw fail(`${field}: expected an object, got ${describeJson(value)}`);
  return value;
}

function requireInt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw fail(`${field}: expected an integer in ${min}…${max}, got ${describeJson(value)}`);
  }
  return value;
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw fail(`${field}: expected a string, got ${describeJson(value)}`);
  return value;
}

/** A short JSON rendering of a value for messages. */
function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Reads the archive's directory and its typed arrays, checking each against what avatar.json promised. */
class AvatarArchive {
  private readonly entries = new Map<string, ZipEntry>();

  constructor(private readonly bytes: Uint8Array, private readonly budget: InflateBudget) {
    for (const entry of listZipEntries(bytes, 'avatar file')) {
      if (this.entries.has(entry.name)) throw fail(`avatar file: the archive holds "${entry.name}" twice`);
      this.entries.set(entry.name, entry);
    }
  }

  /** The uncompressed bytes of `name`, refusing declared sizes above `maxBytes` or the limits before inflating. */
  read(name: string, maxBytes: number, label = name): Uint8Array {
    const entry = this.entries.get(name);
    if (!entry) throw fail(`${label === name ? name : `${label}: "${name}"`}: missing from the archive`);
    return readZipEntry(this.bytes, entry, label, this.budget, maxBytes);
  }

  /** avatar.json, parsed. */
  json(): unknown {
    if (!this.entries.has(JSON_ENTRY)) {
      throw fail(`${JSON_ENTRY}: missing from the archive (is this a .gavatar file?)`);
    }
    const raw = this.read(JSON_ENTRY, MAX_JSON_BYTES);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw fail(`${JSON_ENTRY}: expected UTF-8 text`);
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      throw fail(`${JSON_ENTRY}: not valid JSON (${(e as Error).message})`);
    }
  }
}

/** Checks `avatar.json.arrays` rows: dtype and shape well-formed. */
function readDirectory(value: unknown): Map<string, ArrayRecord> {
  const table = requireObject(value, 'avatar.json.arrays');
  const out = new Map<string, ArrayRecord>();
  for (const [name, row] of Object.entries(table)) {
    const field = `avatar.json.arrays["${name}"]`;
    const r = requireObject(row, field);
    if (r.dtype !== '<f4' && r.dtype !== '<u4' && r.dtype !== '<i4') {
      throw fail(`${field}.dtype: expected "<f4", "<u4" or "<i4", got ${describeJson(r.dtype)}`);
    }
    if (!Array.isArray(r.shape) || r.shape.length > 8) throw fail(`${field}.shape: expected an array of at most 8 integers, got ${describeJson(r.shape)}`);
    const shape = r.shape.map((d, k) => requireInt(d, `${field}.shape[${k}]`, 0, MAX_ELEMENTS));
    if (shape.reduce((a, b) => a * b, 1) > MAX_ELEMENTS) throw fail(`${field}.shape: (${shape.join(', ')}) is too large`);
    out.set(name, { dtype: r.dtype, shape });
  }
  return out;
}

/** Reads every array of one avatar file, checking directory, zip entry and npy header against `expect`. */
class ArrayReader {
  constructor(private readonly archive: AvatarArchive, private readonly directory: Map<string, ArrayRecord>) {}

  read(entry: string, field: string, dtype: '<f4', shape: number[]): Float32Array;
  read(entry: string, field: string, dtype: '<u4', shape: number[]): Uint32Array;
  read(entry: string, field: string, dtype: '<i4', shape: number[]): Int32Array;
  read(entry: string, field: string, dtype: Dtype, shape: number[]): NpyWritable {
    const row = this.directory.get(entry);
    const want = `${dtype} (${shape.join(', ')})`;
    if (!row) throw fail(`${field}: avatar.json.arrays has no "${entry}" (expected ${want})`);
    if (row.dtype !== dtype || row.shape.length !== shape.length || row.shape.some((d, k) => d !== shape[k])) {
      throw fail(`${field}: expected ${want}, avatar.json.arrays["${entry}"] declares ${row.dtype} (${row.shape.join(', ')})`);
    }
    return this.readDeclared(entry, field, row);
  }

  /** The directory row of `entry`, which must exist. */
  directoryRow(entry: string, field: string): ArrayRecord {
    const row = this.directory.get(entry);
    if (!row) throw fail(`${field}: avatar.json.arrays has no "${entry}"`);
    return row;
  }

  /** Reads an entry whose directory row was already accepted; the npy header must agree with it. */
  readDeclared(entry: string, field: string, row: ArrayRecord): NpyWritable {
    const count = row.shape.reduce((a, b) => a * b, 1);
    const bytes = this.archive.read(entry, count * 4 + MAX_NPY_HEADER_BYTES, field);
    const npy = parseNpy(bytes, field);
    const sameShape = npy.shape.length === row.shape.length && npy.shape.every((d, k) => d === row.shape[k]);
    if (npy.dtype !== row.dtype || !sameShape || npy.fortranOrder) {
      throw fail(
        `${field}: "${entry}" holds ${npy.dtype} (${npy.shape.join(', ')})${npy.fortranOrder ? ' in Fortran order' : ''}, ` +
          `expected ${row.dtype} (${row.shape.join(', ')}) in C order`,
      );
    }
    return npy.data as NpyWritable;
  }
}

/**
 * Decodes a `.gavatar` file into an Avatar with a ready body model (WebAssembly; the caller owns
 * it: `avatar.body.dispose()` when done). Throws AvatarInputError when `data` is not bytes and
 * AvatarFormatError naming the field for anything malformed, inconsistent, non-finite or from a
 * newer format version.
 */
export async function loadAvatar(data: ArrayBuffer | Uint8Array, options: LoadAvatarOptions = {}): Promise<Avatar> {
  const bytes = toBytes(data, 'data');
  if (typeof options !== 'object' || options === null) {
    throw new AvatarInputError(`options: expected { maxEntryBytes?, limits? }, got ${describeValue(options)}`);
  }
  const limits = resolveInputLimits(options.limits, 'options.limits');
  const { maxEntryBytes } = options;
  if (maxEntryBytes !== undefined) {
    if (typeof maxEntryBytes !== 'number' || !(maxEntryBytes >= 0)) {
      throw new AvatarInputError(`options.maxEntryBytes: expected a number ≥ 0, got ${describeValue(maxEntryBytes)}`);
    }
    limits.maxEntryBytes = maxEntryBytes;
  }
  if (bytes.length === 0) throw fail('avatar file: expected a .gavatar (zip) file, got 0 bytes');
  checkInputSize('avatar file', bytes.length, limits, 'maxAvatarBytes');
  const archive = new AvatarArchive(bytes, new InflateBudget(limits));
  const json = requireObject(archive.json(), JSON_ENTRY);

  if (json.format !== AVATAR_FORMAT_NAME) {
    throw fail(`avatar.json.format: expected "${AVATAR_FORMAT_NAME}", got ${describeJson(json.format)}`);
  }
  if (typeof json.version !== 'number' || !Number.isInteger(json.version) || json.version < 1) {
    throw fail(`avatar.json.version: expected an integer ≥ 1, got ${describeJson(json.version)}`);
  }
  if (json.version > AVATAR_FORMAT_VERSION) {
    throw fail(
      `avatar.json.version: expected ≤ ${AVATAR_FORMAT_VERSION}, got ${json.version} (the file was written by a newer gaussian-avatar; update the package)`,
    );
  }
  const metadata = requireObject(json.metadata, 'avatar.json.metadata') as AvatarMetadata;
  const reader = new ArrayReader(archive, readDirectory(json.arrays));

  // The body first: its counts size everything else.
  const bodyJson = requireObject(json.body, 'avatar.json.body');
  if (json.bodySource !== bodyJson.source) {
    throw fail(`avatar.json.bodySource: expected the same as avatar.json.body.source (${describeJson(bodyJson.source)}), got ${describeJson(json.bodySource)}`);
  }
  const V = requireInt(bodyJson.numVertices, 'avatar.json.body.numVertices', 1, MAX_ELEMENTS);
  const J = requireInt(bodyJson.numJoints, 'avatar.json.body.numJoints', 1, 65536);
  const B = requireInt(bodyJson.numBetas, 'avatar.json.body.numBetas', 0, 65536);
  let bodyData: BodyModelData;
  if (bodyJson.source === 'default') {
    const fingerprint = requireString(bodyJson.fingerprint, 'avatar.json.body.fingerprint');
    const reference = decodedDefaultBody().data;
    const dims = [reference.vTemplate.length / 3, reference.parents.length, reference.numBetas];
    if (V !== dims[0] || J !== dims[1] || B !== dims[2]) {
      throw fail(
        `avatar.json.body: expected the default body's V, J, B = ${dims.join(', ')}, got ${V}, ${J}, ${B}`,
      );
    }
    const actual = defaultBodyFingerprint();
    if (fingerprint !== actual && !(fingerprint in EARLIER_DEFAULT_BODIES)) {
      throw fail(
        `avatar.json.body.fingerprint: the file was made with a different default body (${describeJson(fingerprint)}, ` +
          `this package has "${actual}"); re-save it from the version that made it with { embedBody: true }`,
      );
    }
    bodyData = reference; // replaced by a private copy once everything else has been checked
  } else if (bodyJson.source === 'embedded') {
    bodyData = readEmbeddedBody(reader, bodyJson, V, J, B);
  } else {
    throw fail(`avatar.json.body.source: expected "default" or "embedded", got ${describeJson(bodyJson.source)}`);
  }

  const gJson = requireObject(json.gaussians, 'avatar.json.gaussians');
  const R = requireInt(gJson.resolution, 'avatar.json.gaussians.resolution', 1, MAX_RESOLUTION);
  const N = requireInt(gJson.count, 'avatar.json.gaussians.count', 0, R * R);
  if (N * J > MAX_ELEMENTS) throw fail(`avatar.json.gaussians.count: N×J = ${N}×${J} is too large`);
  const avatarParts = {
    betas: reader.read(ENTRY.betas, 'betas', '<f4', [B]),
    canonicalTransforms: reader.read(ENTRY.canonicalTransforms, 'canonicalTransforms', '<f4', [J, 16]),
    gaussians: {
      resolution: R,
      count: N,
      texels: reader.read(ENTRY.texels, 'gaussians.texels', '<u4', [N]),
      positions: reader.read(ENTRY.positions, 'gaussians.positions', '<f4', [N, 3]),
      weights: reader.read(ENTRY.weights, 'gaussians.weights', '<f4', [N, J]),
      colors: reader.read(ENTRY.colors, 'gaussians.colors', '<f4', [N, 3]),
      scales: reader.read(ENTRY.scales, 'gaussians.scales', '<f4', [N]),
    },
    network: readNetwork(reader, json.network),
    metadata,
    bodySource: bodyJson.source as Avatar['bodySource'],
  };
  checkAvatarContents(AvatarFormatError, avatarParts as unknown as Avatar, J, B);

  const body: BodyModel = await createBodyModel(bodyJson.source === 'default' ? copyOfDefaultBodyData() : bodyData);
  const avatar: Avatar = {
    body,
    bodySource: avatarParts.bodySource,
    betas: avatarParts.betas,
    canonicalTransforms: avatarParts.canonicalTransforms,
    gaussians: avatarParts.gaussians,
    metadata,
  };
  if (avatarParts.network) avatar.network = avatarParts.network;
  return avatar;
}

function readEmbeddedBody(reader: ArrayReader, bodyJson: Record<string, unknown>, V: number, J: number, B: number): BodyModelData {
  const F = requireInt(bodyJson.numFaces, 'avatar.json.body.numFaces', 0, MAX_ELEMENTS / 3);
  const T = requireInt(bodyJson.numUvs, 'avatar.json.body.numUvs', 0, MAX_ELEMENTS / 2);
  if (typeof bodyJson.poseCorrectives !== 'boolean') {
    throw fail(`avatar.json.body.poseCorrectives: expected true or false, got ${describeJson(bodyJson.poseCorrectives)}`);
  }
  const P = bodyJson.poseCorrectives ? 9 * (J - 1) : 0;
  for (const [what, size] of [['V×3×B', V * 3 * B], ['V×3×P', V * 3 * P], ['J×V', J * V], ['V×J', V * J]] as const) {
    if (size > MAX_ELEMENTS) throw fail(`avatar.json.body: ${what} = ${size} elements is too large`);
  }
  const data: BodyModelData = {
    vTemplate: reader.read(ENTRY.vTemplate, 'body.vTemplate', '<f4', [V, 3]),
    shapedirs: reader.read(ENTRY.shapedirs, 'body.shapedirs', '<f4', [V, 3, B]),
    numBetas: B,
    posedirs: reader.read(ENTRY.posedirs, 'body.posedirs', '<f4', [V, 3, P]),
    jRegressor: reader.read(ENTRY.jRegressor, 'body.jRegressor', '<f4', [J, V]),
    weights: reader.read(ENTRY.bodyWeights, 'body.weights', '<f4', [V, J]),
    parents: reader.read(ENTRY.parents, 'body.parents', '<i4', [J]),
    faces: reader.read(ENTRY.faces, 'body.faces', '<u4', [F, 3]),
  };
  if (T > 0) {
    data.uvs = reader.read(ENTRY.uvs, 'body.uvs', '<f4', [T, 2]);
    data.uvFaces = reader.read(ENTRY.uvFaces, 'body.uvFaces', '<u4', [F, 3]);
  }
  checkBodyData(AvatarFormatError, data);
  return data;
}

function readNetwork(reader: ArrayReader, value: unknown): AppearanceNetworkWeights | undefined {
  if (value === null || value === undefined) return undefined;
  const net = requireObject(value, 'avatar.json.network');
  const architecture = requireString(net.architecture, 'avatar.json.network.architecture');
  const config = requireObject(net.config, 'avatar.json.network.config') as AppearanceNetworkWeights['config'];
  if (!Array.isArray(net.tensors)) throw fail(`avatar.json.network.tensors: expected an array, got ${describeJson(net.tensors)}`);
  const tensors: Record<string, NetworkTensor> = {};
  net.tensors.forEach((row, k) => {
    const field = `avatar.json.network.tensors[${k}]`;
    const r = requireObject(row, field);
    const name = requireString(r.name, `${field}.name`);
    const entry = requireString(r.entry, `${field}.entry`);
    if (name === '' || name === '__proto__' || Object.hasOwn(tensors, name)) {
      throw fail(`${field}.name: expected a unique non-empty name, got ${describeJson(name)}`);
    }
    const declared = reader.directoryRow(entry, `network.tensors.${name}`);
    if (declared.dtype !== '<f4') {
      throw fail(`network.tensors.${name}: expected <f4, avatar.json.arrays["${entry}"] declares ${declared.dtype}`);
    }
    const data = reader.readDeclared(entry, `network.tensors.${name}`, declared) as Float32Array;
    tensors[name] = { shape: declared.shape.slice(), data };
  });
  return { architecture, config, tensors };
}
