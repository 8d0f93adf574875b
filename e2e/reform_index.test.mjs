// The reform index and the survey in Debian's Chromium: a commune reporter self-scores three
// criteria of the sample set with evidence and submits; the standing office appraises, changing
// one score with a reason; the ranking shows the changed total; an anonymous answer from the
// public form moves the unit's satisfaction figure, and a second one from the same device is
// refused with 429. Run by crates/web/tests/browser.rs against an app with accounts `so`
// (standing office) and `xa` (reporter of xa-tung-anh), password PASSWORD:
//   BASE_URL=… PASSWORD=… node --test e2e/reform_index.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const BASE_URL = process.env.BASE_URL;
const PASSWORD = process.env.PASSWORD;
assert.ok(BASE_URL && PASSWORD, 'BASE_URL and PASSWORD must be set');
const CARD = `${BASE_URL}/chi-so-cchc/2024/xa-tung-anh`;

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

async function selfScore(page, code, score, { number, date, explanation }) {
  const row = page.locator(`tr[data-code="${code}"]`);
  await row.locator('details.tu-cham summary').click();
  await row.locator('input[name=diem]').fill(score);
  if (number) {
    await row.locator('input[name=so_van_ban]').fill(number);
    await row.locator('input[name=ngay]').fill(date);
  }
  if (explanation) await row.locator('textarea[name=giai_trinh]').fill(explanation);
  await Promise.all([page.waitForURL(CARD), row.getByRole('button', { name: 'Lưu điểm' }).click()]);
}

test('self-score, submit, appraise with a changed score; ranking; the survey moves the figure', async () => {
  const xa = await signIn('xa');
  await xa.goto(CARD);
  assert.match(await xa.locator('#mau').innerText(), /mẫu/i, 'the sample set says so');
  // Evidence is mandatory: a score without any is refused, in Vietnamese, naming the criterion.
  {
    const row = xa.locator('tr[data-code="1.2"]');
    await row.locator('details.tu-cham summary').click();
    await row.locator('input[name=diem]').fill('1');
    await row.getByRole('button', { name: 'Lưu điểm' }).click();
    assert.match(await xa.locator('.error').innerText(), /«1\.2» yêu cầu tài liệu kiểm chứng/);
    await xa.goto(CARD);
  }
  await selfScore(xa, '1.1.1', '1', { number: '05/KH-UBND', date: '2024-01-10' });
  await selfScore(xa, '1.1.2', '1', { number: '210/BC-UBND', date: '2024-12-15' });
  await selfScore(xa, '1.3', '2,5', { explanation: 'Đã tự kiểm tra 4 bộ phận, khắc phục xong' });
  assert.equal(await xa.locator('#tong-diem').innerText(), '4,5');
  assert.match(await xa.locator('tr[data-code="1.1.1"]').innerText(), /05\/KH-UBND/);
  await Promise.all([xa.waitForURL(CARD), xa.getByRole('button', { name: 'Gửi thẩm định' }).click()]);
  assert.equal(await xa.locator('#trang-thai').innerText(), 'đã gửi thẩm định');
  assert.equal(await xa.locator('details.tu-cham').count(), 0, 'no more self-scoring once submitted');

  const so = await signIn('so');
  await so.goto(CARD);
  const appraise = async (code, decision, score, reason) => {
    const row = so.locator(`tr[data-code="${code}"]`);
    await row.locator('details.tham-dinh summary').click();
    await row.locator('select[name=ket_luan]').selectOption(decision);
    if (score !== undefined) await row.locator('input[name=diem]').fill(score);
    if (reason) await row.locator('textarea[name=ly_do]').fill(reason);
    await Promise.all([so.waitForURL(CARD), row.getByRole('button', { name: 'Ghi thẩm định' }).click()]);
  };
  await appraise('1.1.1', 'doi', '0', 'Kế hoạch ban hành sau thời hạn 15/01');
  await appraise('1.1.2', 'giu');
  await appraise('1.3', 'giu');
  assert.match(await so.locator('tr[data-code="1.1.1"] .appraisal').innerText(), /điều chỉnh thành 0 điểm — Kế hoạch ban hành sau thời hạn/);
  assert.equal(await so.locator('#tong-diem').innerText(), '3,5');

  await so.goto(`${BASE_URL}/chi-so-cchc/2024`);
  const rankRow = so.locator('#xep-hang tr[data-unit="xa-tung-anh"]');
  assert.match(await rankRow.locator('td.total').innerText(), /^3,5 \/ 100$/);
  // The total drills down to the scorecard with its evidence.
  await Promise.all([so.waitForURL(CARD), rankRow.getByRole('link').click()]);
  assert.match(await so.locator('tr[data-code="1.3"]').innerText(), /Giải trình: Đã tự kiểm tra/);

  // The unit's satisfaction figure before any answer.
  const RESULTS = `${BASE_URL}/khao-sat/xa-tung-anh/ket-qua`;
  await so.goto(RESULTS);
  assert.equal(await so.locator('#hai-long').innerText(), 'chưa có đánh giá');
  assert.ok(await so.locator('img[src="/khao-sat/xa-tung-anh/qr.svg"]').count() === 1, 'the QR code is on the page');

  // An anonymous answer from the public form (no sign-in).
  const ctx = await browser.newContext();
  const pub = await ctx.newPage();
  await pub.goto(`${BASE_URL}/khao-sat/xa-tung-anh`);
  for (const [f, v] of [[1, 5], [2, 4], [3, 5], [4, 2]]) await pub.check(`input[name=f${f}][value="${v}"]`);
  await pub.fill('textarea[name=y_kien]', 'Công chức hướng dẫn tận tình');
  await Promise.all([pub.waitForLoadState(), pub.getByRole('button', { name: 'Gửi phiếu' }).click()]);
  await pub.locator('#da-gui').waitFor();
  // The same device again today: refused with 429.
  await pub.goto(`${BASE_URL}/khao-sat/xa-tung-anh`);
  await pub.check('input[name=f1][value="5"]');
  const [resp] = await Promise.all([
    pub.waitForResponse((r) => r.request().method() === 'POST'),
    pub.getByRole('button', { name: 'Gửi phiếu' }).click(),
  ]);
  assert.equal(resp.status(), 429);
  assert.match(await pub.locator('.error').innerText(), /thiết bị này đã gửi phiếu hôm nay/);

  await so.goto(RESULTS);
  assert.equal(await so.locator('#hai-long').innerText(), '75.0%', '3 of 4 ratings satisfied');
  assert.match(await so.locator('body').innerText(), /Công chức hướng dẫn tận tình/);
});
