// The fit panel's status line: the fit's size and the time training has left, as words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSizeText, timeLeftText } from '../../components/fit/fit-status-text.js';
import { FIT_PRESETS } from '../../src/fit/fit-settings.js';

test('fitSizeText names the preset and the sizes', () => {
  assert.equal(fitSizeText({ preset: 'light', ...FIT_PRESETS.light }), 'Light fit: 24 frames at 256 px, 600 + 150 training iterations');
  assert.equal(fitSizeText({ preset: 'full', ...FIT_PRESETS.full, frameCount: 12 }), 'Full fit: 12 frames at 512 px, 3000 + 1000 training iterations');
});

test('timeLeftText: minutes rounded up, hours past the hour, nothing when unknown', () => {
  assert.equal(timeLeftText(undefined), '');
  assert.equal(timeLeftText(Number.NaN), '');
  assert.equal(timeLeftText(-1), '');
  assert.equal(timeLeftText(0), 'under a minute left');
  assert.equal(timeLeftText(59.9), 'under a minute left');
  assert.equal(timeLeftText(60), 'about 1 min left');
  assert.equal(timeLeftText(61), 'about 2 min left');
  assert.equal(timeLeftText(7 * 60 - 5), 'about 7 min left');
  assert.equal(timeLeftText(3600 + 20 * 60), 'about 1 h 20 min left');
  assert.equal(timeLeftText(2 * 3600 - 30), 'about 2 h left');
});
