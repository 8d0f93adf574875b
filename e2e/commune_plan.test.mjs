// Communes' plans in Debian's Chromium: the standing office generates the drafts from the
// district plan; a commune reporter signs in, opens its draft, changes one activity's output,
// issues the plan with number, date and signed file; the overview's "issued" count goes up by
// one and the plan is read-only. Run by crates/web/tests/browser.rs against an app with
// accounts `so` (standing office) and `xa` (reporter of xa-tung-anh), password PASSWORD:
//   BASE_URL=… PASSWORD=… node --test e2e/commune_plan.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const BASE_URL = process.env.BASE_URL;
const PASSWORD = process.env.PASSWORD;
assert.ok(BASE_URL && PASSWORD, 'BASE_URL and PASSWORD must be set');
const OVERVIEW = `${BASE_URL}/ke-hoach-xa/2024`;
const PLAN = `${OVERVIEW}/xa-tung-anh`;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(username) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${BASE_URL}/dang-nhap?tiep=/bao-cao`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(/\/bao-cao$/), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  return page;
}

const issuedCount = async (page) => {
  await page.goto(OVERVIEW);
  return Number(await page.locator('#so-da-ban-hanh').innerText());
};

// The review board of a period of 2024 counts the communes' issued plans too.
const boardCount = async (page) => {
  await page.goto(`${BASE_URL}/bao-cao/2024-Q1`);
  return Number(await page.locator('#so-xa-ban-hanh').innerText());
};

test('the office generates drafts; a commune edits, issues, and the count goes up by one', async () => {
  const so = await signIn('so');
  const onBoard = await boardCount(so);
  const before = await issuedCount(so);
  assert.equal(await so.locator('#han-ban-hanh').innerText(), '05/02/2024', 'the deadline of the plan');
  await Promise.all([
    so.waitForURL(/lap-du-thao$/),
    so.locator('#lap-du-thao').click(),
  ]);
  assert.match(await so.locator('#da-lap').innerText(), /Đã lập dự thảo cho \d+ đơn vị/);

  const xa = await signIn('xa');
  await xa.goto(PLAN);
  assert.equal(await xa.locator('#trang-thai').innerText(), 'Dự thảo');
  const row = xa.locator('tr[data-key]').first();
  const key = await row.getAttribute('data-key');
  await row.locator('input[name=ket_qua]').fill('Kế hoạch CCHC năm 2024 của xã');
  await Promise.all([xa.waitForURL(PLAN), row.getByRole('button', { name: 'Lưu' }).click()]);
  assert.equal(
    await xa.locator(`tr[data-key="${key}"] input[name=ket_qua]`).inputValue(),
    'Kế hoạch CCHC năm 2024 của xã',
  );

  // A wrong number is refused in Vietnamese, and nothing is issued.
  const form = xa.locator('#ban-hanh');
  const pdf = { name: 'ke-hoach-da-ky.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') };
  await form.locator('input[name=so_hieu]').fill('15-KH');
  await form.locator('input[name=ngay]').fill('2024-02-02');
  await form.locator('input[name=tep]').setInputFiles(pdf);
  await form.getByRole('button', { name: 'Ban hành' }).click();
  assert.match(await xa.locator('.error').innerText(), /Số hiệu: số hiệu «15-KH» không đúng dạng/);

  await xa.goto(PLAN);
  await form.locator('input[name=so_hieu]').fill('15/KH-UBND');
  await form.locator('input[name=ngay]').fill('2024-02-02');
  await form.locator('input[name=tep]').setInputFiles(pdf);
  await Promise.all([xa.waitForURL(PLAN), form.getByRole('button', { name: 'Ban hành' }).click()]);
  assert.equal(await xa.locator('#trang-thai').innerText(), 'Đã ban hành');
  assert.equal(await xa.locator('#so-hieu').innerText(), '15/KH-UBND');
  assert.equal(await xa.locator('#ban-hanh').count(), 0, 'read-only once issued');
  assert.equal(await xa.locator('input[name=ket_qua]').count(), 0);

  assert.equal(await issuedCount(so), before + 1);
  const line = so.locator('tr[data-unit="xa-tung-anh"]');
  assert.match(await line.innerText(), /15\/KH-UBND/);
  assert.match(await line.innerText(), /Ban hành đúng hạn/);
  assert.equal(await boardCount(so), onBoard + 1, 'the board counts it');
});
