// The flow playground as a person uses it: a preset from a link drawn as a live diagram, played
// on the virtual clock, stepped, rewound, a message followed to the DLQ; and the very same run as
// the native simulator (the trace fingerprint equals crates/sim/tests/golden/traces.txt).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { clock, gotoApp, nodeFigures, openPreset, seekTo, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });
const read = (path) => readFile(new URL(`../../${path}`, import.meta.url), 'utf8');

/** preset id → { untilMs, digest }: how long the native simulator ran it and its trace's fnv1a64. */
async function goldenDigests() {
  const text = await read('crates/sim/tests/golden/traces.txt');
  return Object.fromEntries(text.trim().split('\n').map((line) => [
    line.split(' ')[0],
    { untilMs: Number(line.match(/until_ms=(\d+)/)[1]), digest: line.match(/fnv1a64=([0-9a-f]+)/)[1] },
  ]));
}

/** The logical ids a preset's template declares for resources the diagram draws. */
async function drawnResources(id) {
  const text = await read(`presets/${id}.yaml`);
  const resources = text.slice(text.indexOf('\nResources:'));
  const drawn = /Type: (AWS::Events::(EventBus|Rule|Archive)|AWS::SNS::(Topic|Subscription)|AWS::SQS::Queue|AWS::Lambda::Function|AWS::Serverless::Function|AWS::Cognito::UserPool)\s*$/;
  return [...resources.matchAll(/\n {2}([A-Za-z0-9]+):\n {4}Type: ([^\n]+)/g)]
    .filter(([, , type]) => drawn.test(`Type: ${type}`))
    .map(([, logicalId]) => logicalId);
}

test('every preset opens from its link and the diagram draws each of its resources', async () => {
  const index = JSON.parse(await read('presets/index.json'));
  for (const { file } of index) {
    const id = file.replace(/\.yaml$/, '');
    const page = await app.newPage();
    await openPreset(page, app.url(), id);
    const topology = page.getByRole('figure', { name: 'Topology' });
    const expected = await drawnResources(id);
    assert.ok(expected.length >= 2, `${id}: ${expected}`);
    for (const logicalId of expected) {
      assert.equal(await topology.getByRole('button', { name: new RegExp(`^${logicalId}, `) }).count(), 1, `${id}: ${logicalId}`);
    }
    assert.equal(await page.getByRole('slider', { name: 'Time' }).inputValue(), '0');
    await page.close();
  }
});

test('the donut shop plays: pie orders stop at the donut rule, the donut queue never gets one', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'donut-shop');
  await page.getByLabel('Speed').selectOption('10');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
  // Let it run past the first pie order, then pause and read.
  await page.waitForFunction(() => {
    const [m, s] = document.querySelector('output.virtual-time').textContent.split(':');
    return Number(m) * 60 + Number(s) > 8;
  }, null, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const early = await nodeFigures(page, 'DonutRule');
  assert.ok(early.filtered > 0, `the donut rule filtered pie orders (${JSON.stringify(early)})`);

  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: 60_000 }); // pauses at 2:00
  assert.equal(await page.getByLabel('Virtual time').innerText(), '02:00.000');
  const later = await nodeFigures(page, 'DonutRule');
  assert.ok(later.filtered > early.filtered, `${JSON.stringify(early)} → ${JSON.stringify(later)}`);
  // Every message the donut queue got, the donut rule matched: no pie order among them.
  await page.getByRole('button', { name: /^DonutQueue, / }).click();
  const details = page.getByRole('region', { name: 'Details of DonutQueue' });
  await details.getByText('Every counter').click();
  const received = Number((await details.innerText()).match(/received\s+(\d+)/)[1]);
  assert.equal(received, later.matched, 'the queue received exactly what the rule matched');
  assert.doesNotMatch(await details.innerText(), /apple|"pie"/);

  await mkdir('test-results', { recursive: true });
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `test-results/playground-donut-${colorScheme}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.screenshot({ path: 'test-results/playground-donut-1024.png', fullPage: true });
});

test('a poison payment sits in the DLQ; its journey says why it got there', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'dlq-redrive');
  await seekTo(page, 110_000);
  const figures = await nodeFigures(page, 'PaymentsDlq');
  assert.ok(figures.holds > 0, JSON.stringify(figures));
  await page.getByRole('button', { name: /^PaymentsDlq, / }).click();
  const held = page.getByRole('list', { name: 'Messages in PaymentsDlq' });
  const follow = held.getByRole('button', { name: /^Follow message / }).first();
  const id = (await follow.getAttribute('aria-label')).replace('Follow message ', '');
  await follow.click();
  const journey = page.getByRole('region', { name: `Journey of message ${id}` });
  await journey.waitFor();
  const hops = journey.getByRole('list', { name: 'Hops' }).getByRole('listitem');
  const count = await hops.count();
  assert.ok(count >= 4 && count <= 20, `${count} hops, not the whole batch's`);
  const moved = hops.filter({ hasText: 'moved to dlq' });
  assert.equal(await moved.count(), 1);
  assert.match(await moved.innerText(), /maxReceiveCount/i);
  await hops.first().getByText('Payload at this hop').click();
  assert.match(await journey.innerText(), /expired/, 'the failing card is in the payload');
  // The path is drawn on the diagram.
  assert.ok(await page.locator('.node.on-path').count() >= 3);
  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/playground-dlq-journey.png', fullPage: true });
});

test('seeking back shows exactly the figures first seen at that time', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'sync-vs-queue');
  const ids = await page.getByRole('figure', { name: 'Topology' }).getByRole('button').evaluateAll(
    (nodes) => nodes.map((node) => node.getAttribute('aria-label')).filter((label) => label?.includes('): ')),
  );
  const snapshot = () => page.getByRole('figure', { name: 'Topology' }).locator('g.node').evaluateAll(
    (nodes) => nodes.map((node) => node.getAttribute('aria-label')),
  );
  await seekTo(page, 45_000);
  const first = await snapshot();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await seekTo(page, 200_000);
  const later = await snapshot();
  assert.notDeepEqual(later, first, 'the figures moved on');
  await seekTo(page, 45_000);
  assert.deepEqual(await snapshot(), first);
  assert.ok(ids.length >= 3);
});

test('the run in the browser is the native run, byte for byte, for every preset', async () => {
  const golden = await goldenDigests();
  for (const [id, { untilMs, digest }] of Object.entries(golden)) {
    const page = await app.newPage();
    await openPreset(page, app.url(), id);
    // The golden runs are 10 minutes long: pause there, so the Time slider reaches it.
    await page.getByLabel('Pause at').selectOption(String(untilMs));
    await seekTo(page, untilMs);
    const note = page.getByText(new RegExp(`fingerprint up to ${clock(untilMs).replace('.', '\\.')}: [0-9a-f]{16}`));
    assert.match(await note.innerText(), new RegExp(digest), `preset ${id}`);
    await page.close();
  }
});

test('at 1000x the theme park plays without a main-thread task over the budget (recorded)', async () => {
  const page = await app.newPage();
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask', buffered: true });
  });
  await openPreset(page, app.url(), 'theme-park');
  await page.evaluate(() => { window.longTasks = []; });
  await page.getByLabel('Speed').selectOption('1000');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForTimeout(4_000);
  const playedTo = await page.getByLabel('Virtual time').innerText();
  const tasks = await page.evaluate(() => window.longTasks);
  const longest = Math.max(0, ...tasks);
  await mkdir('test-results', { recursive: true });
  await writeFile('test-results/longest-task-1000x.json', JSON.stringify({ preset: 'theme-park', speed: 1000, playedTo, longTasks: tasks, longestMs: longest }, null, 2));
  console.log(`# longest main-thread task at 1000x (theme park): ${longest.toFixed(0)} ms; ${tasks.length} tasks over 50 ms; played to ${playedTo}`);
  assert.ok(playedTo > '01:00.000', `4 s at 1000x went past a minute (${playedTo})`);
  // 50 ms is the goal (BENCHMARKS.md records the figure); a loaded 2-core CI machine gets slack.
  assert.ok(longest < 250, `longest task ${longest} ms`);
});

test('a broken template keeps the last good diagram greyed and lists its problems at their places', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'donut-shop');
  const broken = 'Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      Targets:\n        - Id: t\n          Arn: !GetAtt Nowhere.Arn\n';
  await page.getByLabel('Template (YAML or JSON)').fill(broken);
  const problems = page.getByRole('alert').filter({ hasText: 'cannot run' });
  await problems.waitFor();
  assert.match(await problems.innerText(), /line \d+, column \d+: Rule: .*Nowhere/);
  assert.equal(await page.locator('figure.topology.stale').count(), 1);
  assert.equal(await page.getByRole('button', { name: /^DonutRule, / }).count(), 1, 'the last good diagram stays');
  await problems.getByRole('button', { name: 'Show in the template' }).first().click();
  assert.equal(await page.getByLabel('Template (YAML or JSON)').inputValue(), broken);
});

test('the seed field refuses what is not a 64-bit number, and says so', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'donut-shop');
  await page.getByLabel('Seed').fill('abc');
  assert.match(await page.getByRole('alert').filter({ hasText: 'not a seed' }).innerText(), /whole number from 0 to 18446744073709551615/);
  await page.getByLabel('Seed').fill('18446744073709551616');
  await page.getByRole('alert').filter({ hasText: 'not a seed' }).waitFor();
  await page.getByLabel('Seed').fill('7');
  assert.equal(await page.getByRole('alert').filter({ hasText: 'not a seed' }).count(), 0);
});

test('sending by hand: an order to the bus shows up at the bus and is kept to send again', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'donut-shop');
  await seekTo(page, 5_000);
  const before = await nodeFigures(page, 'ShopBus');
  const form = page.getByRole('form', { name: 'Send a message' });
  await form.getByLabel('To').selectOption('ShopBus');
  await form.getByLabel('Detail (JSON)').fill('{"orderId": "by-hand", "type": "donut", "flavour": "maple"}');
  await form.getByRole('button', { name: 'Send now' }).click();
  const sent = page.getByRole('list', { name: 'Sent by hand' });
  await sent.waitFor();
  assert.match(await sent.innerText(), /00:05\.000\s+ShopBus/);
  await page.getByLabel('Virtual time').filter({ hasText: '00:05.000' }).waitFor();
  await seekTo(page, 6_000);
  const after = await nodeFigures(page, 'ShopBus');
  assert.ok(after.received > before.received, `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  await page.getByRole('button', { name: /^Sent by hand, / }).waitFor();
  // A bad detail names its field and sends nothing.
  await form.getByLabel('Detail (JSON)').fill('{');
  await form.getByRole('button', { name: 'Send now' }).click();
  await form.getByRole('alert').filter({ hasText: /^Detail:/ }).waitFor();
});

test('a lesson link loads at once over an untouched preset, and asks before replacing my work', async () => {
  const page = await app.newPage();
  await gotoApp(page, `${app.url()}#/learn`);
  await page.getByRole('link', { name: 'Open “Fan-out with SNS to queues” in the playground' }).click();
  await page.getByRole('figure', { name: 'Topology' }).waitFor();
  assert.match(await page.getByLabel('Template (YAML or JSON)').inputValue(), /AWS::SNS::Topic/);
  assert.equal(await page.getByRole('region', { name: 'Preset offered by the link' }).count(), 0);
  assert.equal(await page.getByLabel('Preset').inputValue(), 'sns-fanout');

  const template = page.getByLabel('Template (YAML or JSON)');
  await template.fill('# my own work\nResources: {}\n');
  assert.equal(await page.getByLabel('Preset').inputValue(), '', 'the menu no longer names a preset');
  await page.getByRole('link', { name: 'Learn', exact: true }).click();
  await page.getByRole('link', { name: 'Open “DLQ and redrive” in the playground' }).click();
  const offer = page.getByRole('region', { name: 'Preset offered by the link' });
  await offer.waitFor();
  assert.equal(await template.inputValue(), '# my own work\nResources: {}\n');
  await offer.getByRole('button', { name: 'Keep my template' }).click();
  assert.equal(await template.inputValue(), '# my own work\nResources: {}\n');

  // Picking a preset over my work can be undone.
  await page.getByLabel('Preset').selectOption('fifo-ordering');
  await page.getByRole('status').filter({ hasText: 'your template was replaced' }).getByRole('button', { name: 'Undo' }).click();
  assert.equal(await template.inputValue(), '# my own work\nResources: {}\n');

  await gotoApp(page, `${app.url()}#/playground?preset=no-such-preset`);
  await page.getByRole('alert').filter({ hasText: '“no-such-preset”' }).waitFor();
  assert.equal(await template.inputValue(), '# my own work\nResources: {}\n');
});

test('the polling lesson: the short poller pays for far more empty receives than the long poller', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'short-vs-long-polling');
  await seekTo(page, 180_000);
  const short = await nodeFigures(page, 'ShortPoller');
  const long = await nodeFigures(page, 'LongPoller');
  assert.ok(short['empty receives'] > 10 * Math.max(long['empty receives'] ?? 0, 1), `${JSON.stringify(short)} ${JSON.stringify(long)}`);

  const simplifications = page.getByRole('group', { name: 'What this simulator simplifies' });
  assert.equal(await simplifications.getAttribute('open'), null, 'collapsed at first');
  await simplifications.getByText('What this simulator simplifies', { exact: true }).click();
  await simplifications.getByRole('term').filter({ hasText: /^Short polling$/ }).waitFor();
  assert.match((await simplifications.getByRole('definition').allInnerTexts()).join('\n'), /short poll/i);
});

test('a fault from a node\'s details is written into the template and replays: a subscription refused', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'sns-fanout');
  await seekTo(page, 60_000);
  const before = await nodeFigures(page, 'Invoices');
  assert.ok(before.delivered > 0, JSON.stringify(before));
  await seekTo(page, 0);
  await page.getByRole('button', { name: /^Invoices, / }).click();
  const faults = page.getByRole('group', { name: 'Inject a fault' });
  await faults.getByRole('button', { name: 'Refuse deliveries from 00:00.000', exact: true }).click();
  // Written into the template as text, the person's other lines kept.
  const template = await page.getByLabel('Template (YAML or JSON)').inputValue();
  assert.match(template, /Subscriptions:\n\s+Invoices:\n\s+Refused: \[\{From: 0ms, Until: 365d\}\]/);
  assert.match(template, /RawMessageDelivery: true/);
  // A client-side error: not retried; without a DLQ of its own the subscription loses them.
  await seekTo(page, 60_000);
  const after = await nodeFigures(page, 'Invoices');
  assert.equal(after.delivered, 0, JSON.stringify(after));
  assert.equal(after.failed, before.delivered, JSON.stringify(after));
  await page.close();
});
