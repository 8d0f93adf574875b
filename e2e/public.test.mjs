// The public pages (/cong-khai) in Debian's Chromium on a 390 px phone, signed out: each page
// opens, fits the screen (no sideways scrolling), shows the header's «Công khai» link and the
// areas' bars, and a published report offers its .docx. With SCREENSHOT_DIR set, each page is
// saved there as a PNG to look at.
// Run by crates/web/tests/browser.rs against an app with period PERIOD opened and its report
// published:
//   BASE_URL=… PERIOD=2024-Q2 node --test e2e/public.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const { BASE_URL, PERIOD, SCREENSHOT_DIR } = process.env;
assert.ok(BASE_URL && PERIOD, 'BASE_URL, PERIOD');
const PHONE = { width: 390, height: 844 };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('at 390 px every public page fits the screen without signing in', async () => {
  const ctx = await browser.newContext({ viewport: PHONE });
  const page = await ctx.newPage();
  const pages = ['/cong-khai', '/cong-khai/linh-vuc/3', '/cong-khai/chi-tieu', '/cong-khai/don-vi',
    `/cong-khai/bao-cao/${PERIOD}`];
  for (const path of pages) {
    const res = await page.goto(`${BASE_URL}${path}`);
    assert.equal(res.status(), 200, path);
    assert.equal(res.headers()['cache-control'], 'public, max-age=300', path);
    assert.equal(res.headers()['set-cookie'], undefined, `${path} sets no cookie`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${path}: no sideways scrolling (${width} px)`);
    const current = await page.$eval('header.site nav.menu a[href="/cong-khai"]', (a) => a.textContent.trim());
    assert.equal(current, 'Công khai', path);
    if (SCREENSHOT_DIR) {
      const name = path.replaceAll('/', '_').replace(/^_/, '') || 'root';
      await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: false });
    }
  }
  await page.goto(`${BASE_URL}/cong-khai`);
  assert.equal(await page.locator('.stacks .stack').count(), 7, 'one bar per reform area');
  await page.goto(`${BASE_URL}/cong-khai/bao-cao/${PERIOD}`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Tải báo cáo (.docx)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.docx$/);
  await ctx.close();
});
