// Browser test of service delivery: upload a catalogue and a dossier file through the import
// page, then from the plan's target 3.2 open a figure and the list of dossiers behind it.
// Run by crates/web/tests/browser.rs:
//   BASE_URL=… CATALOG_FILE=… DOSSIER_FILE=… node --test e2e/service.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const { BASE_URL, CATALOG_FILE, DOSSIER_FILE, PLAN_ID, USERNAME, PASSWORD } = process.env;
assert.ok(BASE_URL && CATALOG_FILE && DOSSIER_FILE && PLAN_ID && USERNAME && PASSWORD,
  'BASE_URL, CATALOG_FILE, DOSSIER_FILE, PLAN_ID, USERNAME, PASSWORD');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => { await browser?.close(); });

async function importFile(page, legend, file) {
  const form = page.locator('form.import', { has: page.getByText(legend, { exact: true }) });
  await form.locator('input[type=file]').setInputFiles(file);
  await form.getByRole('button', { name: 'Nhập' }).click();
  await page.locator('#import-result .import-ok, #import-result .import-failed').waitFor({ timeout: 30000 });
  return page.locator('#import-result').textContent();
}

test('a dossier file imported through the page is behind the figures of target 3.2', async () => {
  const page = await browser.newPage();
  // The import page asks for a standing-office sign-in and comes back after it.
  await page.goto(`${BASE_URL}/nhap-du-lieu`);
  await page.waitForURL(/\/dang-nhap/);
  await page.fill('input[name=username]', USERNAME);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(/\/nhap-du-lieu$/), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  const cat = await importFile(page, 'Danh mục TTHC', CATALOG_FILE);
  assert.match(cat, /Đã nhập danh-muc-tthc\.csv: đọc 40, thêm mới 40/);
  const dos = await importFile(page, 'Hồ sơ', DOSSIER_FILE);
  assert.match(dos, /Đã nhập ho-so\.csv: đọc 3000, thêm mới 3000, cập nhật 0, không đổi 0, bị loại 0/);
  assert.equal(await page.locator('#import-progress').getAttribute('value'), '100');

  // The plan's target 3.2 shows its status and links to its figures.
  await page.goto(`${BASE_URL}/ke-hoach/${PLAN_ID}/chi-tieu/3.2`);
  const row = page.locator('section.service-status tr[data-measure=online_rate]');
  const status = await row.locator('td').first().locator('.status').getAttribute('data-status');
  assert.ok(['met', 'not_met'].includes(status), status);
  const numerator = row.locator('td').first().locator('a.num');
  const count = Number(await numerator.textContent());
  assert.ok(count > 0);

  // The figure's page, then the dossiers behind its numerator.
  await Promise.all([page.waitForURL(/\/chi-so\/online_rate/), row.locator('td').first().locator('a.value').click()]);
  assert.equal(await page.locator('svg.trend').count(), 1);
  assert.ok(await page.locator('ol.ranking li').count() > 5, 'the communes ranked');
  await page.goBack();
  await Promise.all([page.waitForURL(/\/ho-so\?/), row.locator('td').first().locator('a.num').click()]);
  assert.equal(Number(await page.locator('#total').getAttribute('data-total')), count);
  assert.equal(await page.locator('table.dossiers tbody tr').count(), Math.min(50, count));
  if (count > 50) {
    await Promise.all([page.waitForURL(/trang=2/), page.getByRole('link', { name: 'Trang sau ›' }).click()]);
    assert.equal(await page.locator('table.dossiers tbody tr').count(), Math.min(50, count - 50));
  }
  await page.close();
});
