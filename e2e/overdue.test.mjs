// Overdue (quá hạn) and the dashboard in Debian's Chromium: a past deadline reads "hết hạn" once
// the lead unit reports the work done and "quá hạn" while it is unfinished; /tong-quan, /qua-han
// and /bao-cao give the same overdue count for the same account and state its definition; the
// dashboard's stacked bars fit a 390 px phone without cutting any label or figure.
// Run by crates/web/tests/browser.rs against an app with accounts `so` (standing office) and `nv`
// (reporter of UNIT), password PASSWORD, period 2024 (the year) open, and two activities of
// UNIT's 2024 report, both led by it and past their deadline:
//   BASE_URL=… PASSWORD=… PLAN_ID=… UNIT=… DONE_ACTIVITY=… LATE_ACTIVITY=… node --test e2e/overdue.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const { BASE_URL, PASSWORD, PLAN_ID, UNIT, DONE_ACTIVITY, LATE_ACTIVITY } = process.env;
assert.ok(BASE_URL && PASSWORD && PLAN_ID && UNIT && DONE_ACTIVITY && LATE_ACTIVITY, 'environment not set');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(username, viewport) {
  const ctx = await browser.newContext({ viewport: viewport ?? { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${BASE_URL}/dang-nhap?tiep=/bao-cao`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(/\/bao-cao$/), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  return page;
}

const badge = (page, id) => page.locator(`tr[id="hd-${id}"] td.c-dl .badge`).first();
const count = async (page, url) => {
  await page.goto(`${BASE_URL}${url}`);
  const n = await page.locator('#so-qua-han').getAttribute('data-count');
  const def = await page.locator('p.definition').first().textContent();
  assert.match(def, /Quá hạn: .*đơn vị chủ trì chưa báo cáo hoàn thành.*việc phối hợp không tính/, `definition on ${url}`);
  return Number(n);
};

test('a done past-deadline activity reads "hết hạn", an unfinished one "quá hạn"', async () => {
  const xa = await signIn('nv');
  const plan = `${BASE_URL}/ke-hoach/${PLAN_ID}?don_vi=${UNIT}`;
  await xa.goto(plan);
  assert.equal(await badge(xa, DONE_ACTIVITY).textContent(), 'đã quá hạn', 'nothing reported yet');
  const before = await count(xa, '/qua-han');

  // The unit reports the first activity done; autosave stores it as a draft, which counts for
  // nothing yet; sending the report does.
  await xa.goto(`${BASE_URL}/bao-cao/2024/${UNIT}`);
  await xa.locator(`fieldset.item[data-activity="${DONE_ACTIVITY}"] select`).selectOption('done');
  await xa.locator('#autosave', { hasText: /Đã lưu lúc \d\d:\d\d/ }).waitFor();
  await xa.goto(plan);
  assert.equal(await badge(xa, DONE_ACTIVITY).textContent(), 'đã quá hạn', 'a draft counts for nothing');
  await xa.goto(`${BASE_URL}/bao-cao/2024/${UNIT}`);
  xa.once('dialog', (d) => d.accept());
  await Promise.all([xa.waitForURL(/da_luu=1/), xa.getByRole('button', { name: 'Gửi báo cáo' }).click()]);

  await xa.goto(plan);
  const done = badge(xa, DONE_ACTIVITY);
  assert.equal(await done.textContent(), 'hết hạn');
  assert.ok(await done.evaluate((e) => e.classList.contains('expired') && !e.classList.contains('overdue')), 'neutral style');
  const late = badge(xa, LATE_ACTIVITY);
  assert.equal(await late.textContent(), 'đã quá hạn');
  assert.ok(await late.evaluate((e) => e.classList.contains('overdue')));

  // Its overdue list lost exactly that activity, on both of its pages.
  const now = await count(xa, '/qua-han');
  assert.equal(now, before - 1);
  assert.equal(await xa.locator(`tr[data-activity="${DONE_ACTIVITY}"]`).count(), 0);
  assert.equal(await xa.locator(`tr[data-activity="${LATE_ACTIVITY}"]`).count(), 1);
  assert.equal(await count(xa, '/bao-cao'), now, '/bao-cao agrees with /qua-han');
});

test('one overdue count on /tong-quan, /qua-han and /bao-cao, with days late and units grouped', async () => {
  const so = await signIn('so');
  const dash = await count(so, '/tong-quan?ky=2024');
  const list = await count(so, '/qua-han');
  const home = await count(so, '/bao-cao');
  assert.ok(dash > 0);
  assert.equal(list, dash, '/qua-han = /tong-quan');
  assert.equal(home, dash, '/bao-cao = /tong-quan');
  // /qua-han: one row per activity, a days-late column, its lead units listed.
  await so.goto(`${BASE_URL}/qua-han`);
  const rows = so.locator('table.overdue tbody tr');
  assert.equal(await rows.count(), list);
  const days = await so.locator('table.overdue td[data-days]').evaluateAll((tds) => tds.map((t) => Number(t.dataset.days)));
  assert.ok(days.every((d) => d > 0), 'days late are positive');
  const units = await so.locator('table.overdue tbody tr ul.units').evaluateAll((uls) => uls.map((u) => u.children.length));
  assert.ok(units.some((n) => n > 1), 'an activity led by several units lists them in one row');
});

test('the dashboard bars fit a 390 px phone and cut no label', async () => {
  const so = await signIn('so', { width: 390, height: 844 });
  await so.goto(`${BASE_URL}/tong-quan?ky=2024`);
  const legend = await so.locator('#bieu-do-linh-vuc ul.legend').textContent();
  for (const w of ['hoàn thành', 'đang triển khai', 'chưa triển khai', 'chưa báo cáo']) assert.ok(legend.includes(w), `legend: ${w}`);
  const overflow = await so.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scroll (${overflow}px too wide)`);
  const problems = await so.locator('.stacks').evaluateAll((charts) => {
    const out = [];
    for (const c of charts) {
      const box = c.getBoundingClientRect();
      for (const el of c.querySelectorAll('.stack-label, .stack-fig, .stack-bar')) {
        const r = el.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.width === 0) out.push(`outside: ${el.textContent}`);
        if (el.scrollWidth > el.clientWidth + 1 && !el.classList.contains('stack-bar')) out.push(`clipped: ${el.textContent}`);
        if (r.right > window.innerWidth) out.push(`off screen: ${el.textContent}`);
      }
    }
    return out;
  });
  assert.deepEqual(problems, []);
  // Every bar still links to its records.
  const hrefs = await so.locator('#bieu-do-linh-vuc a.stack-bar').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 3 && hrefs.every((h) => /linh_vuc=\d+/.test(h)), hrefs.join(' '));
});
