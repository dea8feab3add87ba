/** Locates the system Chromium that playwright-core drives (installed by scripts/ensure-install.cjs). */
import fs from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Path of a Chromium executable; fails with the command that installs one. */
export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (!found)
    throw new Error('no Chromium found: run `node scripts/ensure-install.cjs --browser` (apt-get install chromium)');
  return found;
}
