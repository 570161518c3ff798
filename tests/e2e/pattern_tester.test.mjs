// The pattern tester as a person uses it: read why an event matches or not, break the pattern
// and see where, switch dialect, add and remove events, and find the work again after a reload.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { gotoApp, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });

async function openTester() {
  const page = await app.newPage();
  await gotoApp(page, `${app.url()}#/pattern-tester`);
  await page.getByRole('heading', { level: 1, name: 'Pattern tester' }).waitFor();
  return page;
}

const event = (page, n) => page.getByRole('region', { name: `Event ${n}`, exact: true });

test('the donut shop example: the donut order matches, the pie order does not, and says why', async () => {
  const page = await openTester();
  assert.equal(await event(page, 1).getByRole('status').innerText(), '✓ Match');
  assert.equal(await event(page, 2).getByRole('status').innerText(), '✗ No match');
  const why = await event(page, 2).innerText();
  assert.match(why, /detail\.product/);
  assert.match(why, /pie-apple/);
});

test('an invalid pattern shows AWS\'s reason with line and column, and fixing it brings verdicts back', async () => {
  const page = await openTester();
  const pattern = page.getByLabel('Event pattern');
  await pattern.fill('{\n  "source": [],\n  "detail-type": ["Order Placed"]\n}');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /^Line 2, column \d+ \(\$\.source\): Event pattern is not valid\. Reason: Empty arrays are not allowed$/);
  assert.equal(await pattern.getAttribute('aria-invalid'), 'true');
  assert.equal(await event(page, 1).getByRole('status').innerText(), 'Fix the pattern first');

  await pattern.fill('{"detail": {"product": [{"prefix": "pie"}]}}');
  await page.getByText('Valid.').waitFor();
  assert.equal(await event(page, 1).getByRole('status').innerText(), '✗ No match');
  assert.equal(await event(page, 2).getByRole('status').innerText(), '✓ Match');
});

test('malformed JSON in an event points at its line and column and the pattern stays as it was', async () => {
  const page = await openTester();
  const before = await page.getByLabel('Event pattern').inputValue();
  await event(page, 1).getByLabel('Event 1 text').fill('{\n  "source": "com.donut-shop",,\n}');
  assert.equal(await event(page, 1).getByRole('status').innerText(), 'Invalid');
  assert.match(await event(page, 1).getByRole('alert').innerText(), /^Line 2, column \d+: /);
  assert.equal(await page.getByLabel('Event pattern').inputValue(), before);
});

test('events can be added, judged and removed', async () => {
  const page = await openTester();
  await page.getByRole('button', { name: 'Add event' }).click();
  await event(page, 3).waitFor();
  assert.equal(await event(page, 3).getByRole('status').innerText(), 'Empty');
  await event(page, 3).getByLabel('Event 3 text').fill(
    '{"source": "com.donut-shop", "detail-type": "Order Placed", "detail": {"product": "donut-jam"}}',
  );
  assert.equal(await event(page, 3).getByRole('status').innerText(), '✓ Match');
  assert.match(await event(page, 3).innerText(), /TestEventPattern would refuse this event/);
  await page.getByRole('button', { name: 'Remove event 1' }).click();
  assert.equal(await page.getByRole('region', { name: /^Event \d$/ }).count(), 2);
  assert.equal(await event(page, 2).getByRole('status').innerText(), '✓ Match');
});

test('the SNS dialects judge message attributes and message bodies', async () => {
  const page = await openTester();
  await page.getByLabel('Dialect').selectOption({ label: 'SNS filter policy on message attributes' });
  await page.getByRole('button', { name: 'Load example' }).click();
  await page.getByLabel('Filter policy').waitFor();
  const attributes = (n) => page.getByRole('region', { name: `Message attributes ${n}`, exact: true });
  assert.equal(await attributes(1).getByRole('status').innerText(), '✓ Match');
  assert.equal(await attributes(2).getByRole('status').innerText(), '✗ No match');

  await page.getByLabel('Filter policy').fill('{"store": {"nested": ["x"]}}');
  assert.match(await page.getByRole('alert').innerText(), /Invalid parameter: Attributes Reason: FilterPolicy: /);

  await page.getByLabel('Dialect').selectOption({ label: 'SNS filter policy on message body' });
  await page.getByRole('button', { name: 'Load example' }).click();
  const body = (n) => page.getByRole('region', { name: `Message body ${n}`, exact: true });
  assert.equal(await body(1).getByRole('status').innerText(), '✓ Match');
  assert.equal(await body(2).getByRole('status').innerText(), '✗ No match');
});

test('work is autosaved and comes back after a reload', async () => {
  const page = await openTester();
  await page.getByLabel('Event pattern').fill('{"source": ["autosaved.example"]}');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Pattern tester' }).waitFor();
  assert.equal(await page.getByLabel('Event pattern').inputValue(), '{"source": ["autosaved.example"]}');
});
