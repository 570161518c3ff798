// Share links: a link made by the CLI opens the same state in a fresh browser; the page's
// "Copy link" round-trips; a damaged, cut or too-new link keeps the work and says why; a link
// asks before replacing work of the person's own.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cli, gotoApp, openPreset, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });
const root = fileURLToPath(new URL('../../', import.meta.url));

test('a pattern-tester link made by the CLI opens the same pattern and events in a fresh browser', async () => {
  await mkdir('test-results', { recursive: true });
  await writeFile('test-results/link-pattern.json', '{"source": ["shop.web"], "detail": {"type": ["donut"]}}');
  await writeFile('test-results/link-donut.json', '{"source": "shop.web", "detail": {"type": "donut"}}');
  await writeFile('test-results/link-pie.json', '{"source": "shop.web", "detail": {"type": "pie"}}');
  const link = cli('link', '--pattern', 'test-results/link-pattern.json', '--event', 'test-results/link-donut.json',
    '--event', 'test-results/link-pie.json', '--base', app.url());
  const page = await app.newPage();
  await gotoApp(page, link);
  await page.getByRole('heading', { level: 1, name: 'Pattern tester' }).waitFor();
  assert.match(await page.locator('#pattern').inputValue(), /"donut"/);
  const verdicts = page.locator('.verdict');
  await verdicts.first().waitFor();
  assert.deepEqual((await verdicts.allInnerTexts()).map((t) => t.trim().toLowerCase()).slice(0, 2).map((t) => t.includes('no match') ? 'no' : 'yes'), ['yes', 'no']);
  // The CLI decodes what it made.
  assert.match(cli('link', '--decode', link), /"view": "pattern-tester"/);
});

test('a playground link from the CLI opens its template; Copy link round-trips the time shown', async () => {
  const link = cli('link', '--template', `${root}presets/sns-fanout.yaml`, '--seed', '7', '--base', app.url());
  const page = await app.newPage();
  await gotoApp(page, link);
  await page.getByRole('figure', { name: 'Topology' }).waitFor();
  assert.match(await page.getByLabel('Template (YAML or JSON)').inputValue(), /AWS::SNS::Topic/);
  assert.equal(await page.getByLabel('Seed').inputValue(), '7');

  await page.getByRole('slider', { name: 'Time' }).fill('20000');
  await page.getByLabel('Virtual time').filter({ hasText: '00:20.000' }).waitFor();
  await page.getByRole('button', { name: 'Copy link' }).click();
  const shared = await page.getByRole('textbox', { name: 'Share link' }).inputValue();
  assert.match(shared, /#\/playground\?link=1\./);
  assert.match(await page.getByRole('status').filter({ hasText: 'characters' }).innerText(), /\d+ characters/);

  const fresh = await app.newPage();
  await gotoApp(fresh, shared);
  await fresh.getByLabel('Virtual time').filter({ hasText: '00:20.000' }).waitFor();
  assert.equal(await fresh.getByLabel('Template (YAML or JSON)').inputValue(), await page.getByLabel('Template (YAML or JSON)').inputValue());
});

test('damaged, cut and too-new links keep the work here and say why', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'donut-shop');
  const template = page.getByLabel('Template (YAML or JSON)');
  await template.fill('# my work\nResources: {}\n');
  const good = cli('link', '--template', `${root}presets/fifo-ordering.yaml`, '--base', app.url());
  const cases = [
    [good.slice(0, -9), /cut short/],
    [good.replace('link=1.', 'link=9.'), /newer Eventyard/],
    [good.replace('link=1.', 'link=1.*'), /damaged/],
  ];
  for (const [link, why] of cases) {
    await gotoApp(page, link);
    const alert = page.getByRole('alert').filter({ hasText: 'cannot be opened' });
    await alert.waitFor();
    assert.match(await alert.innerText(), why);
    assert.match(await alert.innerText(), /The link “1\.|The link “9\./);
    assert.equal(await template.inputValue(), '# my work\nResources: {}\n');
  }
  // A good link over my own work asks first, and "Keep mine" keeps it.
  await gotoApp(page, good);
  const offer = page.getByRole('region', { name: 'Link offered' });
  await offer.getByRole('button', { name: 'Keep mine' }).click();
  assert.equal(await template.inputValue(), '# my work\nResources: {}\n');
  // Another link (the same template with a seed) asks again; "Open the link" opens it.
  await gotoApp(page, cli('link', '--template', `${root}presets/fifo-ordering.yaml`, '--seed', '3', '--base', app.url()));
  await offer.getByRole('button', { name: 'Open the link' }).click();
  assert.match(await template.inputValue(), /FIFO ordering/);
  assert.equal(await page.getByLabel('Seed').inputValue(), '3');
});
