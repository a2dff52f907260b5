/**
 * Biovision BVH parser: HIERARCHY (ROOT / JOINT / End Site, OFFSET, CHANNELS of any order and
 * count 0–6 per joint) and MOTION (`Frames:`, `Frame Time:`, one row of channel values per frame).
 * Returns the raw skeleton and channel table; `bvh-retarget.ts` turns it into an SMPL Motion.
 */
import { AvatarFormatError } from '../errors.js';
import { checkInputSize, DEFAULT_INPUT_LIMITS, type InputLimits } from '../io/input-limits.js';
import { countTokens, maxTokens, numberAt, skipSpace, tokenEnd } from '../io/text-tokens.js';

export type BvhChannel = 'Xposition' | 'Yposition' | 'Zposition' | 'Xrotation' | 'Yrotation' | 'Zrotation';

const CHANNEL_NAMES: ReadonlySet<string> = new Set([
  'Xposition', 'Yposition', 'Zposition', 'Xrotation', 'Yrotation', 'Zrotation',
]);

/** Most joints accepted in one file (real rigs have < 300). */
const MAX_JOINTS = 10_000;

export interface BvhJoint {
  name: string;
  /** Index of the parent joint in `BvhFile.joints`, −1 for the root. Parents come before children. */
  parent: number;
  /** Rest offset from the parent joint, file units. */
  offset: [number, number, number];
  /** Channels in file order (rotations apply in this order: `R = R_first · R_second · R_third`). */
  channels: BvhChannel[];
  /** Column of this joint's first channel in a frame row. */
  channelStart: number;
  /** Offset of the joint's `End Site`, if it has one (file units). */
  endSite?: [number, number, number];
}

export interface BvhFile {
  joints: BvhJoint[];
  /** Channels per frame row (sum over joints). */
  channelCount: number;
  frameCount: number;
  /** Seconds per frame (> 0). */
  frameTime: number;
  /** frameCount × channelCount values, row-major, file units (positions) and degrees (rotations). */
  frames: Float64Array;
}

interface Token {
  text: string;
  line: number;
}

function fail(message: string, line?: number): never {
  throw new AvatarFormatError(`bvh${line !== undefined ? ` line ${line}` : ''}: ${message}`);
}

/** Splits the HIERARCHY part into tokens, keeping braces separate and line numbers for names. */
function tokenize(text: string, firstLine: number): Token[] {
  const tokens: Token[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    for (const word of lines[i].split(/[\s]+/)) {
      if (!word) continue;
      // "Hips{" or "{" glued to a word: keep the braces as their own tokens.
      for (const part of word.split(/([{}])/)) if (part) tokens.push({ text: part, line: firstLine + i });
    }
  }
  return tokens;
}

function parseNumber(token: Token | undefined, what: string): number {
  if (!token) fail(`expected ${what}, got the end of the file`);
  const v = Number(token.text);
  if (!Number.isFinite(v) || token.text.trim() === '') fail(`expected ${what} (a finite number), got "${token.text.slice(0, 40)}"`, token.line);
  return v;
}

function parseHierarchy(tokens: Token[]): { joints: BvhJoint[]; channelCount: number } {
  let i = 0;
  const next = (): Token | undefined => tokens[i++];
  const expect = (text: string): Token => {
    const t = next();
    if (!t) fail(`expected "${text}", got the end of the file`);
    if (t.text !== text) fail(`expected "${text}", got "${t.text.slice(0, 40)}"`, t.line);
    return t;
  };
  const readOffset = (): [number, number, number] => [
    parseNumber(next(), 'OFFSET x'),
    parseNumber(next(), 'OFFSET y'),
    parseNumber(next(), 'OFFSET z'),
  ];

  expect('HIERARCHY');
  const joints: BvhJoint[] = [];
  let channelCount = 0;
  // Explicit stack of open joints (no recursion: a deeply nested file must not overflow the call stack).
  const open: { joint: number; hasOffset: boolean }[] = [];
  let pendingKeyword: Token | undefined = expect('ROOT');
  for (;;) {
    if (pendingKeyword) {
      // ROOT/JOINT name: the rest of the keyword's line up to '{' (names may contain spaces or colons).
      const nameParts: string[] = [];
      while (i < tokens.length && tokens[i].line === pendingKeyword.line && tokens[i].text !== '{') nameParts.push(tokens[i++].text);
      if (nameParts.length === 0) fail(`expected a joint name after ${pendingKeyword.text}`, pendingKeyword.line);
      if (joints.length >= MAX_JOINTS) fail(`more than ${MAX_JOINTS} joints`, pendingKeyword.line);
      expect('{');
      const parent = open.length ? open[open.length - 1].joint : -1;
      joints.push({ name: nameParts.join(' '), parent, offset: [0, 0, 0], channels: [], channelStart: channelCount });
      open.push({ joint: joints.length - 1, hasOffset: false });
      pendingKeyword = undefined;
    }
    const top = open[open.length - 1];
    const joint = joints[top.joint];
    const t = next();
    if (!t) fail(`expected "}" closing joint "${joint.name}", got the end of the file`);
    switch (t.text) {
      case 'OFFSET':
        joint.offset = readOffset();
        top.hasOffset = true;
        break;
      case 'CHANNELS': {
        const n = parseNumber(next(), 'a channel count');
        if (!Number.isInteger(n) || n < 0 || n > 6) fail(`CHANNELS of "${joint.name}": expected a count 0…6, got ${n}`, t.line);
        if (joint.channels.length) fail(`joint "${joint.name}" has two CHANNELS lines`, t.line);
        for (let k = 0; k < n; k++) {
          const c = next();
          if (!c || !CHANNEL_NAMES.has(c.text)) {
            fail(`CHANNELS of "${joint.name}": expected X/Y/Z position/rotation, got "${c ? c.text.slice(0, 40) : 'the end of the file'}"`, c?.line ?? t.line);
          }
          if (joint.channels.includes(c.text as BvhChannel)) fail(`CHANNELS of "${joint.name}": "${c.text}" appears twice`, c.line);
          joint.channels.push(c.text as BvhChannel);
        }
        joint.channelStart = channelCount;
        channelCount += n;
        break;
      }
      case 'JOINT':
        if (!top.hasOffset) fail(`joint "${joint.name}": expected OFFSET before its children`, t.line);
        pendingKeyword = t;
        break;
      case 'End': {
        const site = next();
        if (!site || site.text !== 'Site') fail(`expected "End Site"`, t.line);
        expect('{');
        expect('OFFSET');
        const offset = readOffset();
        expect('}');
        joint.endSite ??= offset;
        break;
      }
      case '}':
        if (!top.hasOffset) fail(`joint "${joint.name}": expected an OFFSET`, t.line);
        open.pop();
        if (open.length === 0) {
          if (i < tokens.length) {
            const extra = tokens[i];
            fail(
              extra.text === 'ROOT'
                ? 'a second ROOT: only single-skeleton files are supported'
                : `expected MOTION after the skeleton, got "${extra.text.slice(0, 40)}"`,
              extra.line,
            );
          }
          return { joints, channelCount };
        }
        break;
      default:
        fail(`expected OFFSET, CHANNELS, JOINT, End Site or "}" in joint "${joint.name}", got "${t.text.slice(0, 40)}"`, t.line);
    }
  }
}

/**
 * Parses BVH text. Throws AvatarFormatError naming the line and what was expected, and
 * InputTooLargeError when `Frames:` declares more than `limits.maxMotionFrames` (checked before
 * the frame table is allocated). The frame rows are scanned value by value, never split into an
 * array of strings, so memory stays at the frame table plus the text.
 */
export function parseBvh(text: string, limits: Required<InputLimits> = DEFAULT_INPUT_LIMITS): BvhFile {
  const motionMatch = /^[ \t]*MOTION[ \t]*$/m.exec(text);
  if (!motionMatch) fail('expected a MOTION section after the HIERARCHY');
  const header = text.slice(0, motionMatch.index);
  const { joints, channelCount } = parseHierarchy(tokenize(header, 1));
  if (channelCount === 0) fail('expected at least one channel in the skeleton, found none');

  const line = header.split(/\r\n|\r|\n/).length;
  const bodyStart = motionMatch.index + motionMatch[0].length;
  // "Frames: N" and "Frame Time: t", each on its own line, then the channel rows. Sticky: matched at bodyStart only.
  const framesPattern = /\s*Frames\s*:\s*(\S+)[ \t]*(?:\r\n|\r|\n)\s*Frame\s+Time\s*:\s*(\S+)[ \t]*(?:\r\n|\r|\n|$)/y;
  framesPattern.lastIndex = bodyStart;
  const framesMatch = framesPattern.exec(text);
  if (!framesMatch) fail('expected "Frames: <count>" and "Frame Time: <seconds>" after MOTION', line);
  const frameCount = Number(framesMatch[1]);
  if (!Number.isInteger(frameCount) || frameCount < 1) fail(`Frames: expected an integer ≥ 1, got "${framesMatch[1].slice(0, 40)}"`, line + 1);
  checkInputSize(`bvh line ${line + 1}: Frames`, frameCount, limits, 'maxMotionFrames', 'frames');
  const frameTime = Number(framesMatch[2]);
  if (!Number.isFinite(frameTime) || frameTime <= 0) fail(`Frame Time: expected seconds > 0, got "${framesMatch[2].slice(0, 40)}"`, line + 2);

  // The declared size is checked against the text present before anything is allocated.
  const rowsStart = framesPattern.lastIndex;
  const declared = frameCount * channelCount;
  const declares = `MOTION: Frames: ${frameCount} × ${channelCount} channels declares ${declared} values`;
  if (declared > maxTokens(text, rowsStart)) fail(`${declares}, found ${countTokens(text, rowsStart)}`);
  const frames = new Float64Array(declared);
  let at = rowsStart;
  for (let k = 0; k < declared; k++) {
    at = skipSpace(text, at);
    if (at === text.length) fail(`${declares}, found ${k}`);
    const end = tokenEnd(text, at);
    const v = numberAt(text, at, end);
    if (!Number.isFinite(v)) {
      const f = Math.floor(k / channelCount);
      fail(`MOTION frame ${f}, channel ${k - f * channelCount}: expected a finite number, got "${text.slice(at, Math.min(end, at + 40))}"`);
    }
    frames[k] = v;
    at = end;
  }
  if (skipSpace(text, at) < text.length) fail(`${declares}, found ${declared + countTokens(text, at)}`);
  return { joints, channelCount, frameCount, frameTime, frames };
}
