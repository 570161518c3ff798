// The code editor as the playground uses it: the template keeps an undo history across preset
// loads, Tab indents YAML, and a problem is underlined in the template where it is.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openPreset, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
const MINE = 'Resources:\n  Mine:\n    Type: AWS::SQS::Queue\n';

test('Ctrl+Z in the template after loading a preset brings my template back', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'donut-shop');
  const template = page.getByLabel('Template (YAML or JSON)');
  await template.fill(MINE);
  await page.getByLabel('Preset').selectOption('theme-park');
  assert.match(await template.inputValue(), /Theme park ride times/);
  await template.focus();
  await page.keyboard.press(`${mod}+z`);
  assert.equal(await template.inputValue(), MINE);
  await page.keyboard.press(`${mod}+Shift+z`);
  assert.match(await template.inputValue(), /Theme park ride times/);
});

test('Tab indents the template, and a problem is underlined at its place', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'donut-shop');
  const template = page.getByLabel('Template (YAML or JSON)');
  await template.fill('Resources:\nMine:\n    Type: AWS::SQS::Queue\n');
  await template.evaluate((area) => area.setSelectionRange(11, 11));
  await page.keyboard.press('Tab');
  assert.equal(await template.inputValue(), 'Resources:\n  Mine:\n    Type: AWS::SQS::Queue\n');
  await template.fill('Resources:\n  Mine:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: 9000\n');
  await page.getByRole('list', { name: 'Template problems' }).waitFor();
  assert.ok(await page.locator('.editor-layer .mark-error').count() > 0);
});
