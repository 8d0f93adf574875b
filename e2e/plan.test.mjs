// Browser tests of the plan pages in Debian's Chromium, driven by playwright-core.
// Run by crates/web/tests/browser.rs against an app loaded with the Đức Thọ 2024 plan:
//   BASE_URL=http://127.0.0.1:PORT node --test e2e/plan.test.mjs
// SCREENSHOT_DIR, when set, receives desktop and phone screenshots of the plan page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const BASE_URL = process.env.BASE_URL;
const SHOTS = process.env.SCREENSHOT_DIR;
assert.ok(BASE_URL, 'BASE_URL must name the running app');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** Diacritic-free lower case, as the server's search key. */
const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();

/** From the home page, the way a user gets there, to the (only) plan. */
async function openPlan(page) {
  await page.goto(`${BASE_URL}/`);
  await Promise.all([
    page.waitForURL(/\/ke-hoach\/\d+$/),
    page.getByRole('link', { name: 'Mở kế hoạch' }).first().click(),
  ]);
}

const shownCount = async (page) => Number(await page.locator('#so-hoat-dong').textContent());
const activityTexts = (page) => page.locator('table.matrix td.c-act').allTextContents();

async function submit(page) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Lọc' }).click()]);
}

test('filtering by Phòng Tư pháp as lead and Quý II keeps its Quý II activity only', async () => {
  const page = await browser.newPage();
  await openPlan(page);
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  const total = await shownCount(page);
  assert.ok(total > 50, `the whole plan is shown first (${total})`);

  await page.selectOption('select[name=don_vi]', 'phong-tu-phap');
  await page.selectOption('select[name=vai_tro]', 'chu_tri');
  await page.selectOption('select[name=han]', '2024-Q2');
  await submit(page);

  const url = new URL(page.url());
  assert.equal(url.searchParams.get('don_vi'), 'phong-tu-phap');
  assert.equal(url.searchParams.get('han'), '2024-Q2');
  const texts = await activityTexts(page);
  assert.equal(await shownCount(page), texts.length, 'the count is the number of rows');
  assert.ok(texts.some((t) => t.includes('Hướng dẫn nghiệp vụ chuyên sâu')), texts.join(' | '));
  assert.ok(!texts.some((t) => t.includes('Tổ chức tự kiểm tra văn bản QPPL')), 'recurring: not in Quý II');
  assert.ok(!texts.some((t) => t.includes('Thành lập Đoàn kiểm tra liên ngành')), 'Quý IV');
  assert.ok(!texts.some((t) => t.includes('Xây dựng dự thảo văn bản đề xuất')), 'Phòng Nội vụ, January');
  for (const lead of await page.locator('table.matrix td.c-lead').allTextContents()) {
    assert.match(lead, /Tư pháp/i);
  }
  // The matrix context of each match is kept.
  assert.ok(await page.locator('section.sec h3', { hasText: 'CẢI CÁCH THỂ CHẾ' }).count() === 1);

  // Follow the activity to its own page, then to its lead unit.
  await Promise.all([
    page.waitForURL(/\/hoat-dong\/[^/]+$/),
    page.locator('a.act', { hasText: 'Hướng dẫn nghiệp vụ chuyên sâu' }).click(),
  ]);
  assert.match(page.url(), /\/hoat-dong\/II\.[\w.-]+$/);
  await assert.doesNotReject(page.locator('h1', { hasText: 'Hoạt động' }).waitFor());
  const fields = await page.locator('dl.fields').textContent();
  assert.ok(fields.includes('Nâng cao chất lượng công tác xây dựng pháp luật'), 'task in context');
  assert.ok(fields.includes('Quý II'));
  await Promise.all([page.waitForURL(/\/don-vi\/phong-tu-phap$/), page.locator('dl.fields a.unit', { hasText: 'Tư pháp' }).first().click()]);
  assert.equal(await page.locator('h1').textContent(), 'Phòng Tư pháp');
  await page.close();
});

test('search without diacritics finds "Nội vụ"', async () => {
  const page = await browser.newPage();
  await openPlan(page);
  const total = await shownCount(page);
  await page.fill('input[name=q]', 'noi vu');
  await submit(page);
  const n = await shownCount(page);
  assert.ok(n > 0 && n < total, `${n} of ${total}`);
  assert.equal(await page.inputValue('input[name=q]'), 'noi vu', 'the form keeps the query');
  // Every row shown mentions Nội vụ somewhere in its matrix row group.
  const groups = await page.locator('table.matrix tbody.mrow').allTextContents();
  assert.ok(groups.length > 0);
  for (const g of groups) assert.ok(fold(g).includes('noi vu'), g.slice(0, 120));
  await page.close();
});

test('a group of units opens to its units', async () => {
  const page = await browser.newPage();
  await openPlan(page);
  const group = page.locator('details.grp', { hasText: 'UBND các xã, thị trấn' }).first();
  const list = group.locator('.grp-units');
  assert.equal(await list.isVisible(), false);
  await group.locator('summary').click();
  await list.waitFor({ state: 'visible' });
  assert.ok((await list.textContent()).includes('Xã Tùng Ảnh'));
  await page.close();
});

test('on a phone the matrix becomes cards and the page does not scroll sideways', async () => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  const page = await context.newPage();
  await openPlan(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
  const display = await page.locator('table.matrix td.c-act').first().evaluate((td) => getComputedStyle(td).display);
  assert.equal(display, 'block');
  assert.equal(await page.locator('table.matrix thead').first().isVisible(), false);
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/plan-phone-top.png` });
    await page.locator('#phu-luc').scrollIntoViewIfNeeded();
    await page.locator('table.matrix tbody.mrow').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/plan-phone-matrix.png` });
  }
  // Filtered pages and the activity page fit too.
  await page.goto(`${page.url()}?don_vi=xa-tung-anh`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await page.locator('a.act').first().click();
  await page.waitForURL(/\/hoat-dong\//);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await context.close();
});

test('desktop layout shows the matrix as a table', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await openPlan(page);
  assert.equal(await page.locator('table.matrix thead').first().isVisible(), true);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/plan-desktop-top.png` });
    await page.goto(`${page.url()}?don_vi=phong-tu-phap#phu-luc`);
    await page.screenshot({ path: `${SHOTS}/plan-desktop-filtered.png` });
    const g = page.locator('details.grp').first();
    await g.locator('summary').hover();
    await page.screenshot({ path: `${SHOTS}/plan-desktop-group.png` });
  }
  await context.close();
});
