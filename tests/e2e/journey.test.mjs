// Following one message from the trace log (PRODUCT.md: "click any message to see its whole
// journey"): its hops from where it came from to all that came from it, with payloads, and its
// path drawn on the diagram.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { openPreset, seekTo, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });

test("a donut order's journey runs from the bus through its rules to the queue and the donut maker", async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'donut-shop');
  await seekTo(page, 30_000);
  const log = page.getByRole('region', { name: 'Trace' });
  await log.getByLabel('Resource').selectOption('DonutQueue');
  await log.getByLabel('Action').selectOption('received');
  const follow = log.getByRole('list', { name: 'Trace' }).getByRole('button', { name: /^Follow message / }).first();
  const id = (await follow.getAttribute('aria-label')).replace('Follow message ', '');
  await follow.click();

  const journey = page.getByRole('region', { name: `Journey of message ${id}` });
  await journey.waitFor();
  const hops = journey.getByRole('list', { name: 'Hops' }).getByRole('listitem');
  const count = await hops.count();
  assert.ok(count > 3 && count < 30, `${count} hops`);
  const text = await journey.innerText();
  for (const resource of ['ShopBus', 'DonutRule', 'DonutQueue', 'DonutMaker']) {
    assert.ok(text.includes(resource), `${resource} in the journey`);
  }
  // The rule's decision shows the pattern that made it; each hop has its payload in AWS's shape.
  const matched = hops.filter({ hasText: 'DonutRule' }).first();
  await matched.getByText('The pattern that decided').click();
  assert.match(await matched.getByLabel('Pattern', { exact: true }).innerText(), /"donut"/);
  // The deciding field is marked in the pattern and its value in the event it judged, as in the
  // tester: the same field in both.
  const inPattern = await matched.getByLabel('Pattern', { exact: true }).locator('mark').first().innerText();
  const inEvent = await matched.getByLabel('Event the rule judged', { exact: true }).locator('mark').first().innerText();
  assert.match(inEvent, /^"[^"]+"$/);
  assert.ok(inPattern.includes(inEvent), `${inPattern} decides on ${inEvent}`);
  // The pattern tester's per-field account, on the event the bus received.
  const fields = matched.getByRole('list', { name: 'Fields' });
  assert.match(await fields.innerText(), /detail\.type/);
  // The event on the bus, in EventBridge's shape; the queue's copy is what the rule's input
  // transformer made of it.
  await hops.first().getByText('Payload at this hop').click();
  assert.match(await journey.innerText(), /"detail-type": "OrderPlaced"/);
  assert.ok(await page.locator('.node.on-path').count() >= 4, 'the path is drawn');
  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/playground-journey.png', fullPage: true });

  await journey.getByRole('button', { name: 'Stop following' }).click();
  await journey.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.node.on-path').count(), 0);
});

test('the trace log filters by free text and stays a short list of rows however long the run', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'short-vs-long-polling');
  await seekTo(page, 180_000);
  const log = page.getByRole('region', { name: 'Trace' });
  const total = Number((await log.innerText()).match(/(\d+) of (\d+) steps/)[2]);
  assert.ok(total > 150, `${total} steps`);
  // Only the rows in view are in the page.
  assert.ok(await log.getByRole('listitem').count() < 40);
  await log.getByLabel('Text').fill('empty');
  const shown = Number((await log.innerText()).match(/(\d+) of (\d+) steps/)[1]);
  assert.ok(shown < total, `${shown} of ${total}`);
});
