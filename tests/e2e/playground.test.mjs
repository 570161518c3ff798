// The playground as a person uses it: run a preset, read what happened at each resource and each
// step, and get the very same run as the native simulator (the trace fingerprint equals the
// digest that crates/sim/tests/golden/traces.txt pins for the native build).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gotoApp, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });

/** preset id → fnv1a64 of its 10-minute trace, as the native simulator wrote it. */
async function goldenDigests() {
  const text = await readFile(new URL('../../crates/sim/tests/golden/traces.txt', import.meta.url), 'utf8');
  return Object.fromEntries(
    text.trim().split('\n').map((line) => [line.split(' ')[0], line.match(/fnv1a64=([0-9a-f]+)/)[1]]),
  );
}

async function openPlayground() {
  const page = await app.newPage();
  await gotoApp(page, `${app.url()}#/playground`);
  await page.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
  return page;
}

async function runAndReadFingerprint(page) {
  await page.getByRole('button', { name: 'Run' }).click();
  const note = page.getByText(/steps \(trace fingerprint [0-9a-f]{16}\)/);
  await note.waitFor();
  return (await note.innerText()).match(/fingerprint ([0-9a-f]{16})/)[1];
}

test('the donut shop runs: the table counts each resource and the trace lists every step', async () => {
  const page = await openPlayground();
  await runAndReadFingerprint(page);
  const table = page.getByRole('table', { name: 'Resources' });
  const donutRule = table.getByRole('row', { name: /^DonutRule / });
  const cells = await donutRule.getByRole('cell').allInnerTexts();
  // Type, Received, Delivered, Filtered, ...: pie orders are filtered by the donut rule.
  assert.equal(cells[0], 'AWS::Events::Rule');
  assert.ok(Number(cells[3]) > 0, `the donut rule filtered pie orders (${cells})`);
  const steps = page.getByRole('list', { name: 'Trace' }).getByRole('listitem');
  assert.ok((await steps.count()) > 10);
  assert.match(await steps.first().innerText(), /^00:01\.000/);
});

test('every preset runs in the browser exactly as natively: same trace, byte for byte', async () => {
  const golden = await goldenDigests();
  const page = await openPlayground();
  const options = await page.getByLabel('Preset').getByRole('option').evaluateAll(
    (nodes) => nodes.filter((node) => !node.disabled).map((node) => node.value),
  );
  assert.deepEqual([...options].sort(), Object.keys(golden).sort());
  for (const id of options) {
    await page.getByLabel('Preset').selectOption(id);
    assert.equal(await runAndReadFingerprint(page), golden[id], `preset ${id}`);
  }
});

test('a broken template lists its problems with their places, and the text stays', async () => {
  const page = await openPlayground();
  const broken = 'Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      Targets:\n        - Id: t\n          Arn: !GetAtt Nowhere.Arn\n';
  await page.getByLabel('Template (YAML or JSON)').fill(broken);
  await page.getByRole('button', { name: 'Run' }).click();
  const problems = page.getByRole('alert');
  await problems.waitFor();
  assert.match(await problems.innerText(), /line \d+, column \d+: Rule: .*Nowhere/);
  assert.equal(await page.getByLabel('Template (YAML or JSON)').inputValue(), broken);
});

test('the template is autosaved and a changed template marks the last run as stale', async () => {
  const page = await openPlayground();
  await runAndReadFingerprint(page);
  const template = page.getByLabel('Template (YAML or JSON)');
  const edited = `${await template.inputValue()}\n# my note\n`;
  await template.fill(edited);
  await page.getByText('The template changed since this run: press Run again.').waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
  assert.equal(await page.getByLabel('Template (YAML or JSON)').inputValue(), edited);
});

test('a lesson link offers its preset and never replaces the template without asking', async () => {
  const page = await openPlayground();
  const template = page.getByLabel('Template (YAML or JSON)');
  await template.fill('# my own work\nResources: {}\n');

  await page.getByRole('link', { name: 'Learn', exact: true }).click();
  await page.getByRole('link', { name: 'Open “Fan-out with SNS” in the playground' }).click();
  const offer = page.getByRole('region', { name: 'Preset offered by the link' });
  await offer.waitFor();
  assert.equal(await template.inputValue(), '# my own work\nResources: {}\n');
  await offer.getByRole('button', { name: 'Keep my template' }).click();
  await offer.waitFor({ state: 'detached' });
  assert.equal(await template.inputValue(), '# my own work\nResources: {}\n');

  await page.goBack();
  await page.getByRole('link', { name: 'Open “Fan-out with SNS” in the playground' }).click();
  await offer.getByRole('button', { name: 'Open the preset' }).click();
  assert.match(await template.inputValue(), /AWS::SNS::Topic/);
  assert.doesNotMatch(await template.inputValue(), /my own work/);
});
