// The page shell in Debian's Chromium: one header on every page, with the signed-in account's
// menu and sign-out, that wraps link by link on a 390 px phone without breaking a word; and the
// public activity page showing a unit's accepted status.
// Run by crates/web/tests/browser.rs against an app with account `so` (standing office),
// password PASSWORD, period 2024-Q2 open, and the report of UNIT accepted with ACTIVITY_PATH
// reported done:
//   BASE_URL=… PASSWORD=… UNIT=… ACTIVITY_PATH=… node --test e2e/shell.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const { BASE_URL, PASSWORD, UNIT, ACTIVITY_PATH } = process.env;
assert.ok(BASE_URL && PASSWORD && UNIT && ACTIVITY_PATH, 'BASE_URL, PASSWORD, UNIT, ACTIVITY_PATH');
const PHONE = { width: 390, height: 844 };
const WORK_MENU = ['Báo cáo', 'Tổng quan', 'Quá hạn', 'Nhật ký', 'Tài khoản'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(viewport) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  await page.goto(`${BASE_URL}/dang-nhap?tiep=/`);
  await page.fill('input[name=username]', 'so');
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${BASE_URL}/`), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  return page;
}

/** Each header menu link: its text, box, and how many lines its text takes. */
const menuLinks = (page) => page.$$eval('header.site nav.menu a', (links) => links.map((a) => {
  const r = a.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(a);
  const lines = new Set([...range.getClientRects()].map((x) => Math.round(x.top))).size;
  return { text: a.textContent.trim(), left: r.left, right: r.right, height: r.height, lines };
}));

test('at 390 px every page has the same header menu, whole words, inside the screen, and sign-out', async () => {
  const page = await signIn(PHONE);
  let first;
  for (const path of ['/', '/chi-so', '/bao-cao/ky/2024-Q2/van-ban']) {
    const res = await page.goto(`${BASE_URL}${path}`);
    assert.equal(res.status(), 200, path);
    const links = await menuLinks(page);
    const texts = links.map((l) => l.text);
    for (const want of WORK_MENU) assert.ok(texts.includes(want), `${path}: «${want}» in ${texts}`);
    if (first) assert.deepEqual(texts, first, `${path}: the same menu as on /`);
    first ??= texts;
    const oneLine = Math.min(...links.map((l) => l.height));
    for (const l of links) {
      assert.ok(l.left >= 0 && l.right <= PHONE.width, `${path}: «${l.text}» inside the screen (${l.left}–${l.right})`);
      assert.equal(l.lines, 1, `${path}: «${l.text}» is not broken across lines`);
      assert.ok(Math.abs(l.height - oneLine) < 1, `${path}: «${l.text}» is one line high (${l.height} vs ${oneLine})`);
    }
    const width = await page.evaluate(() => document.querySelector('header.site').scrollWidth);
    assert.ok(width <= PHONE.width, `${path}: the header fits the screen (${width} px)`);
    const page_width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(page_width <= PHONE.width, `${path}: no sideways scrolling (${page_width} px)`);
    assert.equal(await page.locator('header.site form.signout button', { hasText: 'Đăng xuất' }).count(), 1, `${path}: sign-out`);
    assert.match(await page.locator('header.site .who').textContent(), /Cơ quan thường trực CCHC · Phòng Nội vụ/);
  }
  // Signing out from the header ends the session: the work menu goes.
  await Promise.all([page.waitForURL(/\/dang-nhap/), page.locator('header.site form.signout button').click()]);
  await page.goto(`${BASE_URL}/`);
  const texts = (await menuLinks(page)).map((l) => l.text);
  assert.ok(!texts.includes('Nhật ký'), `signed out: ${texts}`);
  assert.equal(await page.locator('header.site a', { hasText: 'Đăng nhập' }).count(), 1);
  await page.context().close();
});

test('the public activity page shows the unit\'s accepted status', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${BASE_URL}${ACTIVITY_PATH}`);
  const row = page.locator(`table.progress tr[data-unit="${UNIT}"]`);
  assert.equal(await row.count(), 1, 'the unit has a progress row');
  const text = await row.textContent();
  assert.match(text, /hoàn thành/);
  assert.match(text, /đã tiếp nhận/);
  await ctx.close();
});
