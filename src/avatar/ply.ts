/**
 * PLY export of a posed avatar in the layout of the original 3D Gaussian Splatting code, which
 * common splat viewers open (SuperSplat, antimatter15/splat, gsplat.js, …), and a PLY reader.
 *
 * Export: `binary_little_endian 1.0`, one `vertex` element with float properties, in this order:
 *   x y z             posed centre, metres
 *   nx ny nz          0 (unused, kept because 3DGS writes them)
 *   f_dc_0..2         degree-0 spherical-harmonic colour: (s − 0.5) / SH_C0, SH_C0 = 0.28209479177387814,
 *                     where s is the Gaussian's colour sRGB-encoded: viewers show 0.5 + SH_C0·f_dc as is
 *                     (as display sRGB), while the avatar's colours are linear RGB
 *   opacity           logit of the opacity: EXPORT_OPACITY_LOGIT = 10 (σ(10) ≈ 0.99995; GaussianAvatar's
 *                     Gaussians are opaque, and viewers clamp α at 0.99 as this package's rasterizer does)
 *   scale_0..2        log σ, the same for all three axes (isotropic Gaussians)
 *   rot_0..3          identity quaternion, w first: 1 0 0 0
 * Axes: by default this project's world (metres, y up, the body facing +z). 3DGS scenes trained from
 * COLMAP are usually y down, so viewers often show a y-up file upside down: `{ flipY: true }`
 * rotates the avatar 180° about x (y → −y, z → −z; a rotation, so the avatar is not mirrored).
 */
import { linearToSrgb, srgbToLinear } from '../color/srgb.js';
import { AvatarFormatError, AvatarInputError, describeValue } from '../errors.js';
import { checkInputSize, resolveInputLimits, type InputLimits } from '../io/input-limits.js';
import { toBytes } from '../io/npz.js';
import { maxTokens, numberAt, skipSpace, tokenEnd } from '../io/text-tokens.js';
import { poseGaussians, type PoseGaussiansParams } from './pose-avatar.js';
import type { Avatar } from './types.js';

/** The zeroth spherical-harmonic basis constant, 1 / (2√π). */
export const SH_C0 = 0.28209479177387814;
/** Stored `opacity` of every exported Gaussian (a logit: σ(10) ≈ 0.99995). */
export const EXPORT_OPACITY_LOGIT = 10;

const EXPORT_PROPERTIES = [
  'x', 'y', 'z', 'nx', 'ny', 'nz', 'f_dc_0', 'f_dc_1', 'f_dc_2', 'opacity',
  'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3',
] as const;

export interface ExportPlyOptions extends PoseGaussiansParams {
  /** Rotate 180° about x (y and z negated) for viewers that expect a y-down (OpenCV/COLMAP) world. Default false. */
  flipY?: boolean;
}

/**
 * The avatar posed by `pose` (J×3 axis-angle, root first), `trans` (3, metres; default 0) and
 * optionally `betas` (default the avatar's), as a 3DGS binary PLY (see the file comment).
 */
export function exportPly(avatar: Avatar, options: ExportPlyOptions): Uint8Array {
  if (typeof options !== 'object' || options === null) {
    throw new AvatarInputError(`options: expected { pose, trans?, betas?, flipY? }, got ${describeValue(options)}`);
  }
  if (options.flipY !== undefined && typeof options.flipY !== 'boolean') {
    throw new AvatarInputError(`flipY: expected a boolean, got ${describeValue(options.flipY)}`);
  }
  const posed = poseGaussians(avatar, options);
  const N = posed.scales.length;
  const flip = options.flipY === true ? -1 : 1;
  const header =
    'ply\nformat binary_little_endian 1.0\n' +
    `comment gaussian-avatar: posed Gaussians, metres, ${flip < 0 ? 'y down (rotated 180 degrees about x)' : 'y up'}\n` +
    `element vertex ${N}\n` +
    EXPORT_PROPERTIES.map((p) => `property float ${p}\n`).join('') +
    'end_header\n';
  const headerBytes = new TextEncoder().encode(header);
  const stride = EXPORT_PROPERTIES.length * 4;
  const out = new Uint8Array(headerBytes.length + N * stride);
  out.set(headerBytes);
  const view = new DataView(out.buffer, headerBytes.length);
  const { positions: P, colors: C, scales: S } = posed;
  const fdc = (linear: number) => (linearToSrgb(linear) - 0.5) / SH_C0;
  for (let i = 0; i < N; i++) {
    const values = [
      P[i * 3]!, flip * P[i * 3 + 1]!, flip * P[i * 3 + 2]!,
      0, 0, 0,
      fdc(C[i * 3]!), fdc(C[i * 3 + 1]!), fdc(C[i * 3 + 2]!),
      EXPORT_OPACITY_LOGIT,
      Math.log(S[i]!), Math.log(S[i]!), Math.log(S[i]!),
      1, 0, 0, 0,
    ];
    for (let k = 0; k < values.length; k++) view.setFloat32(i * stride + k * 4, values[k]!, true);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface ParsePlyOptions {
  /** Input limits (src/io/input-limits.ts): `maxPlyBytes` and `maxPlyVertices` apply. */
  limits?: InputLimits;
}

/** Gaussians read from a PLY file. Arrays are Float32Array, N rows. */
export interface ParsedPly {
  format: 'ascii' | 'binary_little_endian' | 'binary_big_endian';
  count: number;
  /** Every scalar property of the `vertex` element, by name, in file order (list properties are skipped). */
  properties: Map<string, Float32Array>;
  /** N×3 centres (x y z), finite. */
  positions: Float32Array;
  /**
   * N×3 linear RGB colours 0…1 (as `avatar.gaussians.colors`), decoded from the file's display
   * sRGB colour: 0.5 + SH_C0·f_dc when the file has f_dc_0..2, else red/green/blue (/ 255 for
   * integer types) when present; clamped to 0…1.
   */
  colors?: Float32Array;
  /** N opacities σ(opacity) in 0…1, when the file has `opacity`. */
  opacities?: Float32Array;
  /** N×3 scales exp(scale_k), when the file has scale_0..2. */
  scales?: Float32Array;
  /** N×4 quaternions (w x y z = rot_0..3, as stored), when present. */
  rotations?: Float32Array;
}

type ScalarType = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'f64';

const TYPE_NAMES: Record<string, ScalarType> = {
  char: 'i8', int8: 'i8', uchar: 'u8', uint8: 'u8', short: 'i16', int16: 'i16', ushort: 'u16', uint16: 'u16',
  int: 'i32', int32: 'i32', uint: 'u32', uint32: 'u32', float: 'f32', float32: 'f32', double: 'f64', float64: 'f64',
};
const TYPE_SIZE: Record<ScalarType, number> = { i8: 1, u8: 1, i16: 2, u16: 2, i32: 4, u32: 4, f32: 4, f64: 8 };

interface PlyProperty {
  name: string;
  type: ScalarType;
  /** For a list property: the type of its length prefix. */
  countType?: ScalarType;
}

interface PlyElement {
  name: string;
  count: number;
  properties: PlyProperty[];
}

/** Longest header accepted (real headers are < 2 KiB). */
const MAX_HEADER_BYTES = 1 << 20;

const bad = (message: string) => new AvatarFormatError(`ply: ${message}`);

/** Parses the header; returns the elements and where the body starts. */
function parseHeader(bytes: Uint8Array): { format: ParsedPly['format']; elements: PlyElement[]; bodyStart: number } {
  if (bytes.length < 4 || bytes[0] !== 0x70 || bytes[1] !== 0x6c || bytes[2] !== 0x79 || (bytes[3] !== 0x0a && bytes[3] !== 0x0d)) {
    throw bad('not a PLY file (expected the "ply" magic line)');
  }
  const marker = 'end_header';
  const limit = Math.min(bytes.length, MAX_HEADER_BYTES);
  let end = -1;
  // Find "end_header" at a line start, then its line end.
  for (let at = 0; at + marker.length <= limit; at++) {
    if (bytes[at] !== 0x65 || (at > 0 && bytes[at - 1] !== 0x0a)) continue;
    let match = true;
    for (let k = 0; k < marker.length && match; k++) match = bytes[at + k] === marker.charCodeAt(k);
    if (!match) continue;
    let lineEnd = at + marker.length;
    while (lineEnd < bytes.length && bytes[lineEnd] !== 0x0a) lineEnd++;
    if (lineEnd >= bytes.length) throw bad('header ends without a newline after end_header');
    end = lineEnd + 1;
    break;
  }
  if (end < 0) throw bad(`no end_header line within the first ${limit} bytes`);
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, end));
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').trim());
  let format: ParsedPly['format'] | undefined;
  const elements: PlyElement[] = [];
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li]!;
    const words = line.split(/\s+/);
    const keyword = words[0];
    if (line === '' || keyword === 'comment' || keyword === 'obj_info') continue;
    if (keyword === 'end_header') break;
    if (keyword === 'format') {
      if (words[1] !== 'ascii' && words[1] !== 'binary_little_endian' && words[1] !== 'binary_big_endian') {
        throw bad(`header line ${li + 1}: unknown format "${words[1] ?? ''}" (expected ascii, binary_little_endian or binary_big_endian)`);
      }
      if (words[2] !== '1.0') throw bad(`header line ${li + 1}: format version "${words[2] ?? ''}", expected 1.0`);
      format = words[1];
    } else if (keyword === 'element') {
      const count = Number(words[2]);
      if (words.length !== 3 || !words[1] || !Number.isSafeInteger(count) || count < 0 || !/^\d+$/.test(words[2]!)) {
        throw bad(`header line ${li + 1}: expected "element <name> <count>", got "${line.slice(0, 80)}"`);
      }
      elements.push({ name: words[1], count, properties: [] });
    } else if (keyword === 'property') {
      const element = elements[elements.length - 1];
      if (!element) throw bad(`header line ${li + 1}: property before any element`);
      if (words[1] === 'list') {
        const countType = TYPE_NAMES[words[2] ?? ''], type = TYPE_NAMES[words[3] ?? ''];
        if (words.length !== 5 || !countType || !type || countType === 'f32' || countType === 'f64') {
          throw bad(`header line ${li + 1}: expected "property list <integer type> <type> <name>", got "${line.slice(0, 80)}"`);
        }
        element.properties.push({ name: words[4]!, type, countType });
      } else {
        const type = TYPE_NAMES[words[1] ?? ''];
        if (words.length !== 3 || !type) throw bad(`header line ${li + 1}: expected "property <type> <name>", got "${line.slice(0, 80)}"`);
        element.properties.push({ name: words[2]!, type });
      }
    } else {
      throw bad(`header line ${li + 1}: unknown keyword "${(keyword ?? '').slice(0, 40)}"`);
    }
  }
  if (!format) throw bad('header has no format line');
  return { format, elements, bodyStart: end };
}

/** Reads binary rows, skipping elements before `vertex` and list properties. */
class BinaryReader {
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array, public at: number, private readonly little: boolean) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  read(type: ScalarType, what: string): number {
    const size = TYPE_SIZE[type];
    if (this.at + size > this.bytes.length) throw bad(`${what}: the file ends early (truncated binary data)`);
    const v = this.view, at = this.at, le = this.little;
    this.at += size;
    switch (type) {
      case 'i8': return v.getInt8(at);
      case 'u8': return v.getUint8(at);
      case 'i16': return v.getInt16(at, le);
      case 'u16': return v.getUint16(at, le);
      case 'i32': return v.getInt32(at, le);
      case 'u32': return v.getUint32(at, le);
      case 'f32': return v.getFloat32(at, le);
      case 'f64': return v.getFloat64(at, le);
    }
  }

  /** Skips one list: its count, then count items (bounds-checked before moving). */
  skipList(p: PlyProperty, what: string): void {
    const n = this.read(p.countType!, what);
    if (!Number.isInteger(n) || n < 0) throw bad(`${what}: list length ${n} is invalid`);
    const size = n * TYPE_SIZE[p.type];
    if (this.at + size > this.bytes.length) throw bad(`${what}: list of ${n} items runs past the end of the file`);
    this.at += size;
  }

  get remaining(): number {
    return this.bytes.length - this.at;
  }
}

/** Whitespace-separated tokens of the ascii body, scanned one by one (never split into an array). */
class AsciiReader {
  private at = 0;
  constructor(private readonly text: string) {}

  read(type: ScalarType, what: string): number {
    const start = skipSpace(this.text, this.at);
    if (start === this.text.length) throw bad(`${what}: the file ends early (missing ascii values)`);
    this.at = tokenEnd(this.text, start);
    const v = numberAt(this.text, start, this.at);
    const token = () => this.text.slice(start, Math.min(this.at, start + 20));
    if (Number.isNaN(v) && !/^[-+]?nan$/i.test(this.text.slice(start, this.at))) throw bad(`${what}: "${token()}" is not a number`);
    if (type !== 'f32' && type !== 'f64' && !Number.isInteger(v)) throw bad(`${what}: "${token()}" is not an integer`);
    return v;
  }

  skipList(p: PlyProperty, what: string): void {
    const n = this.read(p.countType!, what);
    if (n < 0 || n > this.remaining) throw bad(`${what}: list of ${n} items runs past the end of the file`);
    for (let k = 0; k < n; k++) {
      const start = skipSpace(this.text, this.at);
      if (start === this.text.length) throw bad(`${what}: list of ${n} items runs past the end of the file`);
      this.at = tokenEnd(this.text, start);
    }
  }

  /** At most this many values remain (each takes a character and a separator). */
  get remaining(): number {
    return maxTokens(this.text, this.at);
  }
}

/**
 * Reads a PLY file (ascii, binary little or big endian) holding a `vertex` element with at least
 * x, y, z. Unknown properties and other elements are skipped. Throws AvatarInputError when `data`
 * is not bytes and AvatarFormatError naming the problem for anything malformed or truncated, or
 * for non-finite positions. Declared counts are checked against the bytes present before allocating,
 * and against `options.limits` (`maxPlyBytes`, default 1 GiB; `maxPlyVertices`, default 10 million):
 * InputTooLargeError above them.
 */
export function parsePly(data: ArrayBuffer | Uint8Array, options: ParsePlyOptions = {}): ParsedPly {
  const bytes = toBytes(data, 'data');
  if (typeof options !== 'object' || options === null) {
    throw new AvatarInputError(`options: expected { limits? }, got ${describeValue(options)}`);
  }
  const limits = resolveInputLimits(options.limits, 'options.limits');
  checkInputSize('ply', bytes.length, limits, 'maxPlyBytes');
  const { format, elements, bodyStart } = parseHeader(bytes);
  const vertexIndex = elements.findIndex((e) => e.name === 'vertex');
  if (vertexIndex < 0) throw bad('the header declares no "vertex" element');
  const vertex = elements[vertexIndex]!;
  for (const name of ['x', 'y', 'z']) {
    const p = vertex.properties.find((q) => q.name === name);
    if (!p || p.countType) throw bad(`vertex: expected a scalar property "${name}"`);
  }
  const names = new Set<string>();
  for (const p of vertex.properties) {
    if (names.has(p.name)) throw bad(`vertex: property "${p.name}" declared twice`);
    names.add(p.name);
  }

  // V8 strings hold at most 2^29 − 24 characters: larger ASCII bodies cannot be decoded as text.
  if (format === 'ascii' && bytes.length - bodyStart > 2 ** 29 - 24) {
    throw bad(`the ascii body is ${bytes.length - bodyStart} bytes; ascii PLY is read up to 512 MiB (save larger files as binary)`);
  }
  const reader =
    format === 'ascii'
      ? new AsciiReader(new TextDecoder('latin1').decode(bytes.subarray(bodyStart)))
      : new BinaryReader(bytes, bodyStart, format === 'binary_little_endian');
  for (const element of elements.slice(0, vertexIndex)) {
    // Rows of an element before the vertices: read and thrown away (count checked as we go).
    if (element.properties.length === 0) continue;
    if (element.count > reader.remaining) throw bad(`element ${element.name}: ${element.count} rows cannot fit in the file`);
    for (let r = 0; r < element.count; r++) {
      for (const p of element.properties) {
        const what = `element ${element.name} row ${r}`;
        if (p.countType) reader.skipList(p, what);
        else reader.read(p.type, what);
      }
    }
  }

  const N = vertex.count;
  // Every row takes at least one byte (binary) or one token (ascii) per property.
  const minRow = format === 'ascii'
    ? vertex.properties.length
    : vertex.properties.reduce((s, p) => s + TYPE_SIZE[p.countType ?? p.type], 0);
  if (N > 0 && (minRow === 0 || N > reader.remaining / minRow)) {
    throw bad(`vertex: ${N} rows of ${minRow} ${format === 'ascii' ? 'values' : 'bytes'} cannot fit in the ${reader.remaining} remaining`);
  }
  checkInputSize('ply: element vertex', N, limits, 'maxPlyVertices', 'vertices');
  const columns = new Map<string, Float32Array>();
  const scalars = vertex.properties.filter((p) => !p.countType);
  for (const p of scalars) columns.set(p.name, new Float32Array(N));
  const targets = vertex.properties.map((p) => (p.countType ? undefined : columns.get(p.name)!));
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < vertex.properties.length; k++) {
      const p = vertex.properties[k]!;
      if (p.countType) reader.skipList(p, `vertex ${i}`);
      else targets[k]![i] = reader.read(p.type, `vertex ${i} ${p.name}`);
    }
  }

  const x = columns.get('x')!, y = columns.get('y')!, z = columns.get('z')!;
  const positions = new Float32Array(N * 3);
  for (let i = 0; i < N; i++) {
    positions[i * 3] = x[i]!;
    positions[i * 3 + 1] = y[i]!;
    positions[i * 3 + 2] = z[i]!;
  }
  for (let i = 0; i < positions.length; i++) {
    if (!Number.isFinite(positions[i]!)) throw bad(`vertex ${Math.floor(i / 3)}: position is not finite (${positions[i]})`);
  }
  const out: ParsedPly = { format, count: N, properties: columns, positions };
  const group = (keys: string[], map: (v: number) => number) => {
    const cols = keys.map((k) => columns.get(k));
    if (cols.some((c) => c === undefined)) return undefined;
    const arr = new Float32Array(N * keys.length);
    for (let i = 0; i < N; i++) for (let k = 0; k < keys.length; k++) arr[i * keys.length + k] = map(cols[k]![i]!);
    return arr;
  };
  const colorType = vertex.properties.find((p) => p.name === 'red')?.type;
  out.colors =
    group(['f_dc_0', 'f_dc_1', 'f_dc_2'], (v) => srgbToLinear(0.5 + SH_C0 * v)) ??
    group(['red', 'green', 'blue'], colorType === 'f32' || colorType === 'f64' ? srgbToLinear : (v) => srgbToLinear(v / 255));
  out.opacities = group(['opacity'], (v) => 1 / (1 + Math.exp(-v)));
  out.scales = group(['scale_0', 'scale_1', 'scale_2'], Math.exp);
  out.rotations = group(['rot_0', 'rot_1', 'rot_2', 'rot_3'], (v) => v);
  for (const key of ['colors', 'opacities', 'scales', 'rotations'] as const) if (out[key] === undefined) delete out[key];
  return out;
}
