// The playground as a person uses it: run a preset, read what happened at each resource and each
// step, and get the very same run as the native simulator (the trace fingerprint equals the
// digest that crates/sim/tests/golden/traces.txt pins for the native build).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { gotoApp, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });

/** preset id → { untilMs, digest }: how long the native simulator ran it and its trace's fnv1a64. */
async function goldenDigests() {
  const text = await readFile(new URL('../../crates/sim/tests/golden/traces.txt', import.meta.url), 'utf8');
  return Object.fromEntries(
    text.trim().split('\n').map((line) => [
      line.split(' ')[0],
      { untilMs: line.match(/until_ms=(\d+)/)[1], digest: line.match(/fnv1a64=([0-9a-f]+)/)[1] },
    ]),
  );
}

/** preset id → its suggested run length in ms, from presets/index.json (the app's catalogue). */
async function suggestedRunLengths() {
  const index = JSON.parse(await readFile(new URL('../../presets/index.json', import.meta.url), 'utf8'));
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Object.fromEntries(index.map(({ file, until }) => {
    const [, number, suffix] = until.match(/^(\d+)(ms|s|m|h|d)$/);
    return [file.replace(/\.yaml$/, ''), Number(number) * unit[suffix]];
  }));
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
  const suggested = await suggestedRunLengths();
  const page = await openPlayground();
  const options = await page.getByLabel('Preset').getByRole('option').evaluateAll(
    (nodes) => nodes.filter((node) => !node.disabled).map((node) => node.value),
  );
  // The list follows presets/index.json, in its order.
  assert.deepEqual(options, Object.keys(suggested));
  assert.deepEqual([...options].sort(), Object.keys(golden).sort());
  const runLengths = (await page.getByLabel('Run for').getByRole('option').evaluateAll(
    (nodes) => nodes.map((node) => node.value),
  )).map(Number);
  for (const id of options) {
    await page.getByLabel('Preset').selectOption(id);
    // A preset opens with its suggested run length, or the next longer one offered.
    const expected = runLengths.find((ms) => ms >= suggested[id]) ?? runLengths.at(-1);
    assert.equal(Number(await page.getByLabel('Run for').inputValue()), expected, `preset ${id}`);
    // The golden digests are of runs as long as the golden file says.
    await page.getByLabel('Run for').selectOption(golden[id].untilMs);
    assert.equal(await runAndReadFingerprint(page), golden[id].digest, `preset ${id}`);
  }
});

test('the polling lesson: the short poller pays for far more empty receives than the long poller', async () => {
  const page = await app.newPage();
  await gotoApp(page, `${app.url()}#/learn`);
  await page.getByRole('link', { name: 'Open “Short polling versus long polling” in the playground' }).click();
  const offer = page.getByRole('region', { name: 'Preset offered by the link' });
  await offer.getByRole('button', { name: 'Open the preset' }).click();
  await offer.waitFor({ state: 'detached' });
  assert.match(await page.getByLabel('Template (YAML or JSON)').inputValue(), /LongPoller:/);
  // The lesson suggests 3 minutes, a run length the page offers.
  assert.equal(await page.getByLabel('Run for').inputValue(), '180000');
  await runAndReadFingerprint(page);

  const table = page.getByRole('table', { name: 'Resources' });
  const headers = await table.getByRole('columnheader').allInnerTexts();
  const column = headers.indexOf('Empty receives');
  assert.ok(column > 1, `an Empty receives column (${headers})`);
  const emptyReceives = async (name) => {
    // Cells after the row's header: the first is the type.
    const cells = await table.getByRole('row', { name: new RegExp(`^${name} `) }).getByRole('cell').allInnerTexts();
    assert.equal(cells[0], 'Worker (polls a queue)', `${name}: ${cells}`);
    return Number(cells[column - 1]);
  };
  const short = await emptyReceives('ShortPoller');
  const long = await emptyReceives('LongPoller');
  assert.ok(short > 10 * Math.max(long, 1), `ShortPoller ${short} empty receives, LongPoller ${long}`);

  const simplifications = page.getByRole('group', { name: 'What this simulator simplifies' });
  const shortPolling = simplifications.getByRole('term').filter({ hasText: /^Short polling$/ });
  assert.equal(await simplifications.getAttribute('open'), null, 'collapsed at first');
  assert.equal(await shortPolling.isVisible(), false);
  await simplifications.getByText('What this simulator simplifies', { exact: true }).click();
  await shortPolling.waitFor();
  assert.notEqual(await simplifications.getAttribute('open'), null);
  assert.ok((await simplifications.getByRole('term').count()) >= 5);
  assert.match(await simplifications.getByRole('definition').allInnerTexts().then((texts) => texts.join('\n')), /short poll/i);

  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/playground-polling.png', fullPage: true });
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
  await page.getByRole('link', { name: 'Open “Fan-out with SNS to queues” in the playground' }).click();
  const offer = page.getByRole('region', { name: 'Preset offered by the link' });
  await offer.waitFor();
  assert.equal(await template.inputValue(), '# my own work\nResources: {}\n');
  await offer.getByRole('button', { name: 'Keep my template' }).click();
  await offer.waitFor({ state: 'detached' });
  assert.equal(await template.inputValue(), '# my own work\nResources: {}\n');

  await page.goBack();
  await page.getByRole('link', { name: 'Open “Fan-out with SNS to queues” in the playground' }).click();
  await offer.getByRole('button', { name: 'Open the preset' }).click();
  assert.match(await template.inputValue(), /AWS::SNS::Topic/);
  assert.doesNotMatch(await template.inputValue(), /my own work/);
});
