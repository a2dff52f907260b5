/**
 * The fit panel's status line: how big the fit is (FitResult.settings, from the preset fitFromVideo
 * picked for the adapter) and about how long training has left (FitFromVideoProgress.secondsLeft).
 */
import type { FitSettings } from '../../src/fit/fit-settings.js';

/** "Light fit: 24 frames at 256 px, 600 + 150 training iterations". */
export function fitSizeText(settings: FitSettings): string {
  const name = settings.preset === 'light' ? 'Light fit' : 'Full fit';
  return `${name}: ${settings.frameCount} frames at ${settings.maxSize} px, ${settings.stage1Iterations} + ${settings.stage2Iterations} training iterations`;
}

/** "about 7 min left" (whole minutes, rounded up past the first), "under a minute left", or '' when unknown. */
export function timeLeftText(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return 'under a minute left';
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const rest = minutes % 60;
  return `about ${Math.floor(minutes / 60)} h${rest > 0 ? ` ${rest} min` : ''} left`;
}
