// What every browser test starts from: Debian's Chromium, headless, driven by playwright-core.
import { chromium } from 'playwright-core';

/** Launches /usr/bin/chromium headless, quiet (no sync, updates or first-run screens). */
export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-gpu',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}
