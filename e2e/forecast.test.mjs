// Year-end forecasts (dự báo) and the server-drawn SVG charts in Debian's Chromium: on the
// dashboard and a measure page, at 1366 px and on a 390 px phone, the charts fit the screen
// with their text inside them, the forecast is beside its target, and nothing scrolls sideways.
// Run by crates/web/tests/browser.rs against an app with the account `so` (standing office),
// password PASSWORD, period 2024-Q2 open, and a generated year of dossiers:
//   BASE_URL=… PASSWORD=… [SCREENSHOT_DIR=…] node --test e2e/forecast.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const { BASE_URL, PASSWORD, SCREENSHOT_DIR } = process.env;
assert.ok(BASE_URL && PASSWORD, 'environment not set');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(viewport) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  await page.goto(`${BASE_URL}/dang-nhap?tiep=/bao-cao`);
  await page.fill('input[name=username]', 'so');
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(/\/bao-cao$/), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  return page;
}

/** Every chart inside the screen, each of its texts inside the chart, and no sideways scroll. */
async function checkCharts(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what}: no horizontal scroll (${overflow}px too wide)`);
  const problems = await page.locator('svg.trend, svg.bars').evaluateAll((charts) => {
    const out = [];
    for (const c of charts) {
      const box = c.getBoundingClientRect();
      if (box.width === 0 || box.right > window.innerWidth + 0.5) out.push(`chart off screen: ${box.width}`);
      for (const t of c.querySelectorAll('text')) {
        const r = t.getBoundingClientRect();
        if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`text outside: ${t.textContent}`);
      }
    }
    return out;
  });
  assert.deepEqual(problems, [], what);
}

async function shot(page, name) {
  if (SCREENSHOT_DIR) await page.screenshot({ path: `${SCREENSHOT_DIR}/forecast-${name}.png`, fullPage: true });
}

for (const [label, viewport] of [['1366', { width: 1366, height: 900 }], ['390', { width: 390, height: 844 }]]) {
  test(`the dashboard shows forecasts and unit bars at ${label} px`, async () => {
    const page = await signIn(viewport);
    await page.goto(`${BASE_URL}/tong-quan?ky=2024-Q2`);
    const online = page.locator('tr[data-measure="online_rate"] .forecast');
    assert.match(await online.textContent(), /Dự báo .*% \(khoảng .*% – .*%\)/);
    assert.ok(['on_track', 'watch', 'at_risk'].includes(await online.getAttribute('data-forecast')));
    assert.equal(await page.locator('svg.bars').count(), 1);
    assert.ok((await page.locator('svg.bars rect').count()) > 10, 'one bar per commune');
    await checkCharts(page, `dashboard ${label}`);
    await shot(page, `dashboard-${label}`);
    await page.locator('#chi-tieu-dich-vu-cong').scrollIntoViewIfNeeded();
    if (SCREENSHOT_DIR) await page.screenshot({ path: `${SCREENSHOT_DIR}/forecast-dashboard-targets-${label}.png` });
  });

  test(`a measure page shows the trend with its forecast and the unit bars at ${label} px`, async () => {
    const page = await signIn(viewport);
    await page.goto(`${BASE_URL}/chi-so/online_rate?ky=2024-Q2`);
    const trend = page.locator('svg.trend');
    assert.equal(await trend.count(), 1);
    // Six whole months: six points, the dashed forecast on to December.
    assert.equal(await trend.locator('circle').count(), 6);
    assert.equal(await trend.locator('polyline.projection').count(), 1);
    assert.match(await trend.getAttribute('aria-label'), /Dự báo tháng 12/);
    await checkCharts(page, `measure page ${label}`);
    await page.locator('#du-bao').scrollIntoViewIfNeeded();
    if (SCREENSHOT_DIR) await page.screenshot({ path: `${SCREENSHOT_DIR}/forecast-measure-${label}.png` });
    await shot(page, `measure-full-${label}`);
  });
}
