// The report flow in Debian's Chromium: a commune reporter reports two activities with evidence
// and a file and submits; the standing office returns it with a comment; the reporter revises
// and resubmits; the standing office accepts; the board, dashboard and audit trail show it.
// Run by crates/web/tests/browser.rs against an app with accounts `so` (standing office) and
// `xa` (reporter of xa-tung-anh), password PASSWORD, and period 2024-Q1 open:
//   BASE_URL=… PASSWORD=… node --test e2e/execution.test.mjs
// SCREENSHOT_DIR, when set, receives desktop and phone screenshots of the form, board, dashboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const BASE_URL = process.env.BASE_URL;
const PASSWORD = process.env.PASSWORD;
const SHOTS = process.env.SCREENSHOT_DIR;
assert.ok(BASE_URL && PASSWORD, 'BASE_URL and PASSWORD must be set');
const REPORT = `${BASE_URL}/bao-cao/2024-Q1/xa-tung-anh`;
const BOARD = `${BASE_URL}/bao-cao/2024-Q1`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => { await browser?.close(); });

async function signIn(username, viewport) {
  const ctx = await browser.newContext({ viewport: viewport ?? { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(`${BASE_URL}/dang-nhap?tiep=/bao-cao`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(/\/bao-cao$/), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  return page;
}

async function shoot(page, name) {
  if (!SHOTS) return;
  await page.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: false });
  const vp = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/${name}-phone.png`, fullPage: false });
  await page.setViewportSize(vp);
}

const saved = (page) => page.locator('#autosave', { hasText: /Đã lưu lúc \d\d:\d\d/ }).waitFor();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

test('report, return with a comment, revise, resubmit, accept; board, dashboard and audit show it', async () => {
  // The reporter opens the unit's report from the home page.
  const xa = await signIn('xa');
  await Promise.all([xa.waitForURL(REPORT), xa.getByRole('link', { name: 'báo cáo của đơn vị' }).first().click()]);
  const items = xa.locator('fieldset.item');
  assert.ok(await items.count() >= 2, 'the commune has at least two activities in 2024-Q1');

  // First activity: done, with a document and an uploaded PDF.
  const first = items.nth(0);
  await first.locator('select').selectOption('done');
  await first.locator('textarea[name=n0]').fill('Đã ban hành kế hoạch CCHC của xã');
  const row = first.locator('.ev-row').first();
  await row.locator('[data-f=number]').fill('12/KH-UBND');
  await row.locator('[data-f=date]').fill('2024-02-15');
  await row.locator('[data-f=issuer]').fill('UBND xã Tùng Ảnh');
  await row.locator('[data-f=title]').fill('Kế hoạch cải cách hành chính năm 2024');
  await row.locator('[data-f=up]').setInputFiles({ name: 'ke-hoach.pdf', mimeType: 'application/pdf', buffer: PDF });
  await row.locator('a.file', { hasText: 'ke-hoach.pdf' }).waitFor();
  await saved(xa);
  // Second activity: in progress, with a document.
  const second = items.nth(1);
  await second.locator('select').selectOption('in_progress');
  await second.locator('textarea[name=n1]').fill('Đang triển khai, dự kiến xong trong quý II');
  await second.locator('.ev-row [data-f=number]').first().fill('5/BC-UBND');
  await xa.waitForTimeout(800);
  await saved(xa);
  await shoot(xa, 'report-form');

  // A second tab saves in between: the first tab's next save is refused, nothing overwritten.
  const tab2 = await xa.context().newPage();
  await tab2.goto(REPORT);
  await tab2.locator('textarea[name=k0]').fill('Thiếu kinh phí');
  await saved(tab2);
  await xa.locator('textarea[name=d0]').fill('Đề xuất bổ sung kinh phí');
  await xa.locator('#autosave', { hasText: 'Có người khác vừa lưu báo cáo này; tải lại trang để xem bản mới' }).waitFor();
  await tab2.close();
  await xa.reload();
  assert.equal(await xa.locator('textarea[name=k0]').inputValue(), 'Thiếu kinh phí', 'the other save is kept');
  assert.equal(await xa.locator('textarea[name=d0]').inputValue(), '', 'the stale save did not land');

  // Submit: the report becomes read-only.
  await Promise.all([xa.waitForURL(/da_luu=1/), xa.getByRole('button', { name: 'Gửi báo cáo' }).click()]);
  assert.match(await xa.locator('#trang-thai').textContent(), /đã gửi/);
  assert.equal(await xa.locator('form#bao-cao').count(), 0, 'no form once submitted');
  assert.match(await xa.locator('fieldset.item').first().textContent(), /12\/KH-UBND/);

  // The standing office sees it on the board, opens it and returns it with a comment.
  const so = await signIn('so');
  await so.goto(BOARD);
  const line = so.locator('tr[data-unit="xa-tung-anh"]');
  assert.match(await line.textContent(), /đã gửi/);
  assert.match(await line.textContent(), /đúng hạn/);
  await Promise.all([so.waitForURL(REPORT), line.getByRole('link', { name: 'Mở' }).click()]);
  await so.locator('textarea[name=y0]').fill('Bổ sung số lượng TTHC đã rà soát');
  await Promise.all([so.waitForURL(BOARD), so.getByRole('button', { name: 'Trả lại để bổ sung' }).click()]);
  assert.match(await so.locator('tr[data-unit="xa-tung-anh"]').textContent(), /bị trả lại/);

  // The reporter sees the comment beside the item, revises and resubmits.
  await xa.goto(REPORT);
  assert.match(await xa.locator('#trang-thai').textContent(), /bị trả lại/);
  assert.match(await xa.locator('fieldset.item').first().locator('.review-note').textContent(), /Bổ sung số lượng TTHC đã rà soát/);
  await xa.locator('textarea[name=n0]').fill('Đã ban hành kế hoạch; đã rà soát 15 TTHC');
  await saved(xa);
  await Promise.all([xa.waitForURL(/da_luu=1/), xa.getByRole('button', { name: 'Gửi báo cáo' }).click()]);
  assert.match(await xa.locator('#trang-thai').textContent(), /đã gửi/);

  // The standing office compares versions, then accepts.
  await so.goto(`${REPORT}/phien-ban`);
  assert.ok(await so.locator('table.compare tr.changed').count() >= 1, 'changed fields are highlighted');
  await so.goto(REPORT);
  await Promise.all([so.waitForURL(BOARD), so.getByRole('button', { name: 'Tiếp nhận' }).click()]);
  assert.match(await so.locator('tr[data-unit="xa-tung-anh"]').textContent(), /đã tiếp nhận/);
  await shoot(so, 'board');

  // The dashboard counts the report and links to the board behind the figure.
  await so.goto(`${BASE_URL}/tong-quan?ky=2024-Q1`);
  assert.match(await so.locator('#so-da-gui').textContent(), /^1\/\d+$/);
  assert.equal(await so.locator('#so-dung-han').textContent(), '1');
  assert.ok(await so.locator(".stack-bar").count() > 3, "a stacked bar per row");
  await shoot(so, 'dashboard');
  await Promise.all([so.waitForURL(/tinh_trang=on_time/), so.locator('#so-dung-han').click()]);
  assert.equal(await so.locator('table.board tbody tr').count(), 1);

  // The audit trail shows every step.
  await so.goto(`${BASE_URL}/nhat-ky?unit=xa-tung-anh`);
  const actions = await so.locator('table.audit tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.action));
  for (const a of ['file.upload', 'report.save', 'report.submit', 'report.return', 'report.accept']) {
    assert.ok(actions.includes(a), `${a} in the audit trail: ${actions.join(', ')}`);
  }
  assert.equal(actions.filter((a) => a === 'report.submit').length, 2, 'submitted twice');
});
