// loadAvatar under the input limits: zip bombs inside otherwise valid .gavatar files (built on the
// fly by tests/helpers/zip-bomb.ts: ~6 MB of deflate data that inflates to 1 GB) and files above
// maxAvatarBytes are refused with typed errors, without inflating what the limits forbid.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync } from 'fflate';
import { loadAvatar, saveAvatar } from '../../src/avatar/avatar-file.js';
import type { Avatar } from '../../src/avatar/types.js';
import { AvatarFormatError, InputTooLargeError } from '../../src/errors.js';
import { deflatedEntry, deflatedZeros, rawEntriesOf, writeRawZip, type RawZipEntry } from '../helpers/zip-bomb.js';
import { smallEmbeddedAvatar } from './avatar-fixtures.js';

const GB = 1_000_000_000;

/** `file` with avatar.json edited by `editJson` and entry `name` replaced by `replacement(old entry)`. */
function withEntry(file: Uint8Array, name: string, replacement: (old: RawZipEntry) => RawZipEntry, editJson = (_json: any) => {}): Uint8Array { // eslint-disable-line @typescript-eslint/no-explicit-any
  const json = JSON.parse(new TextDecoder().decode(unzipSync(file, { filter: (f) => f.name === 'avatar.json' })['avatar.json']));
  editJson(json);
  const entries = rawEntriesOf(file).map((entry) => {
    if (entry.name === 'avatar.json') return deflatedEntry('avatar.json', new TextEncoder().encode(JSON.stringify(json)));
    return entry.name === name ? replacement(entry) : entry;
  });
  return writeRawZip(entries);
}

async function rejects(file: Uint8Array, type: typeof AvatarFormatError, pattern: RegExp, options = {}): Promise<void> {
  await assert.rejects(loadAvatar(file, options), (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

describe('loadAvatar: input limits and zip bombs', () => {
  let avatar: Avatar;
  let file: Uint8Array;
  let bomb: Uint8Array;
  before(async () => {
    avatar = await smallEmbeddedAvatar({ seed: 5 });
    file = saveAvatar(avatar);
    bomb = deflatedZeros(GB + 128);
  });
  after(() => avatar.body.dispose());

  it('the original file loads (the edits below are what fails)', async () => {
    const loaded = await loadAvatar(withEntry(file, 'none', (e) => e));
    assert.equal(loaded.gaussians.count, avatar.gaussians.count);
    loaded.body.dispose();
  });

  it('valid avatar.json declaring a 1 GB network tensor: refused by maxEntryBytes, then by maxInflatedBytes, before inflating', async () => {
    const tensorEntry = 'network/0000.npy';
    const huge = withEntry(
      file,
      tensorEntry,
      (e) => ({ ...e, data: bomb, uncompressedSize: GB + 128, crc32: 0 }),
      (json) => (json.arrays[tensorEntry].shape = [GB / 4]),
    );
    await rejects(
      huge,
      InputTooLargeError,
      /^network\.tensors\.\w+: zip entry "network\/0000\.npy" declares 1000000128 bytes uncompressed, above the 268435456-byte limit \(raise it with limits\.maxEntryBytes\)$/,
    );
    // Raising the entry limit alone still leaves the archive's total budget (512 MiB).
    await rejects(huge, InputTooLargeError, /inflated total to \d+ bytes, above the 536870912-byte limit \(raise it with limits\.maxInflatedBytes\)$/, {
      limits: { maxEntryBytes: 2 * GB },
    });
    // The legacy option says the same as limits.maxEntryBytes.
    await rejects(huge, InputTooLargeError, /above the 100-byte limit/, { maxEntryBytes: 100 });
  });

  it('an entry whose header declares its true small size but whose data inflates to 1 GB: inflation stops at the declared size', async () => {
    const name = 'gaussians/weights.npy';
    const lying = withEntry(file, name, (e) => ({ ...e, data: bomb }));
    await rejects(lying, AvatarFormatError, /^gaussians\.weights: zip entry "gaussians\/weights\.npy" inflates past the \d+ bytes its header declares \(a zip bomb or a corrupt file\); stopped there$/);
  });

  it('a file above maxAvatarBytes is refused before it is read', async () => {
    await rejects(file, InputTooLargeError, new RegExp(`^avatar file: ${file.length} bytes, above the limit of 1000 bytes \\(raise it with limits\\.maxAvatarBytes\\)$`), {
      limits: { maxAvatarBytes: 1000 },
    });
    const loaded = await loadAvatar(file, { limits: { maxAvatarBytes: file.length } });
    loaded.body.dispose();
  });

  it('bad limits are AvatarInputErrors naming the key', async () => {
    await assert.rejects(loadAvatar(file, { limits: { maxAvatarByte: 1 } as never }), /^AvatarInputError: options\.limits\.maxAvatarByte: unknown limit/);
    await assert.rejects(loadAvatar(file, { limits: { maxEntryBytes: -1 } }), /^AvatarInputError: options\.limits\.maxEntryBytes: expected a number ≥ 0/);
  });
});
