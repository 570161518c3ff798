// The pattern tester as a person uses it: read why an event matches or not, break the pattern
// and see where, switch dialect, add and remove events, and find the work again after a reload.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { gotoApp, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });

async function openTester(options) {
  const page = await app.newPage(options);
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
  // The mistake is underlined where it is.
  assert.equal(await page.locator('.editor-layer .mark-error').first().innerText(), '[]');
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
  // The save follows the render that the edit causes; on a loaded machine that can be later
  // than Playwright's next command, so wait for it rather than racing it.
  await page.waitForFunction(() => Object.values(localStorage).some((v) => v.includes('autosaved.example')));
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Pattern tester' }).waitFor();
  assert.equal(await page.getByLabel('Event pattern').inputValue(), '{"source": ["autosaved.example"]}');
});

const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

test('clicking a reason highlights the deciding span in the event and in the pattern', async () => {
  const page = await openTester();
  // The deciding field is marked before any click.
  assert.equal(await event(page, 2).locator('.editor-layer .mark-field').innerText(), '"pie-apple"');
  await event(page, 2).locator('.reason').getByRole('button').click();
  assert.equal(await event(page, 2).locator('.editor-layer .mark-focus').innerText(), '"pie-apple"');
  const patternFocus = await page.locator('.pane').first().locator('.editor-layer .mark-focus').innerText();
  assert.match(patternFocus, /"product": \[\{ "prefix": "donut" \}\]/);
  // The value is selected in the event's editor, which has the focus.
  const selected = await event(page, 2).getByLabel('Event 2 text').evaluate(
    (area) => [document.activeElement === area, area.value.slice(area.selectionStart, area.selectionEnd)],
  );
  assert.deepEqual(selected, [true, '"pie-apple"']);
});

test('Ctrl+Z after "Load example" brings the typed text back, and Redo loads it again', async () => {
  const page = await openTester();
  const pattern = page.getByLabel('Event pattern');
  await pattern.fill('{"source": ["mine"]}');
  await event(page, 1).getByLabel('Event 1 text').fill('{"source": "mine"}');
  await page.getByRole('button', { name: 'Load example', exact: true }).click();
  assert.match(await pattern.inputValue(), /com\.donut-shop/);
  await pattern.focus();
  await page.keyboard.press(`${mod}+z`);
  assert.equal(await pattern.inputValue(), '{"source": ["mine"]}');
  assert.equal(await event(page, 1).getByLabel('Event 1 text').inputValue(), '{"source": "mine"}');
  // The caret is where the text changed (after "{"), not at the end where a set value leaves it.
  assert.equal(await pattern.evaluate((area) => area.selectionStart), 1);
  await page.getByRole('button', { name: 'Redo', exact: true }).click();
  assert.match(await pattern.inputValue(), /com\.donut-shop/);
});

test('typing then Ctrl+Z takes back the whole burst of typing, not part of it', async () => {
  const page = await openTester();
  const pattern = page.getByLabel('Event pattern');
  const before = await pattern.inputValue();
  await pattern.focus();
  await page.keyboard.press(`${mod}+End`);
  await page.keyboard.type(' extra words', { delay: 20 });
  assert.equal(await pattern.inputValue(), `${before} extra words`);
  await page.keyboard.press(`${mod}+z`);
  assert.equal(await pattern.inputValue(), before);
  // The caret is where the taken-back text began, not at some other end.
  assert.equal(await pattern.evaluate((area) => area.selectionStart), before.length);
});

test('Tab indents in the editor; Esc then Tab leaves it', async () => {
  const page = await openTester();
  const pattern = page.getByLabel('Event pattern');
  await pattern.fill('{\n"source": ["a"]\n}');
  await pattern.evaluate((area) => area.setSelectionRange(2, 2));
  await page.keyboard.press('Tab');
  assert.equal(await pattern.inputValue(), '{\n  "source": ["a"]\n}');
  assert.equal(await pattern.evaluate((area) => document.activeElement === area), true);
  await page.keyboard.press('Shift+Tab');
  assert.equal(await pattern.inputValue(), '{\n"source": ["a"]\n}');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.equal(await pattern.evaluate((area) => document.activeElement === area), false);
  assert.equal(await pattern.inputValue(), '{\n"source": ["a"]\n}');
  // Line numbers follow the text.
  assert.equal(await page.locator('.pane').first().locator('.editor-gutter').innerText(), '1\n2\n3');
});

test('a sample event loads with its pattern and matches; Undo brings the work back', async () => {
  const page = await openTester();
  const pattern = page.getByLabel('Event pattern');
  const before = await pattern.inputValue();
  await page.getByText('Sample events').click();
  await page.getByRole('button', { name: 'Load sample EC2 instance state change' }).click();
  assert.match(await pattern.inputValue(), /"aws\.ec2"/);
  assert.match(await event(page, 1).getByLabel('Event 1 text').inputValue(), /EC2 Instance State-change Notification/);
  assert.equal(await event(page, 1).getByRole('status').innerText(), '✓ Match');
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  assert.equal(await pattern.inputValue(), before);

  await page.getByText('Operator reference').click();
  await page.getByRole('button', { name: 'Load operator example Numeric range' }).click();
  assert.equal(await event(page, 1).getByRole('status').innerText(), '✓ Match');
  assert.equal(await event(page, 2).getByRole('status').innerText(), '✗ No match');
});

test('make a pattern from this event by picking fields', async () => {
  const page = await openTester();
  const card = event(page, 2);
  await card.getByText('Make a pattern from this event').click();
  await card.getByRole('checkbox', { name: /^detail\.product/ }).check();
  await card.getByRole('button', { name: 'Use as pattern' }).click();
  assert.equal(JSON.stringify(JSON.parse(await page.getByLabel('Event pattern').inputValue())), '{"detail":{"product":["pie-apple"]}}');
  assert.equal(await event(page, 2).getByRole('status').innerText(), '✓ Match');
  assert.equal(await event(page, 1).getByRole('status').innerText(), '✗ No match');
});

test('the input transformer tab gives the exact target input and AWS\'s errors', async () => {
  const page = await openTester();
  await page.getByText('Sample events').click();
  await page.getByRole('button', { name: 'Load sample EC2 instance state change' }).click();
  await page.getByRole('tab', { name: 'Input transformer' }).click();
  await page.getByRole('button', { name: 'Load transformer example' }).click();
  const output = page.getByRole('region', { name: 'Target input for event 1' }).locator('pre');
  assert.equal(
    await output.innerText(),
    '{"summary": "EC2 Instance State-change Notification from aws.ec2 at 2026-11-11T21:29:54Z", "detail": {"instance-id":"i-1234567890abcdef0","state":"stopped"}, "rule": "tester-rule"}',
  );
  await page.getByLabel('InputPathsMap').fill('{"state": "detail.state"}');
  assert.match(await page.getByRole('alert').innerText(), /InputPathsMap state: "detail\.state" is not a valid JSON path/);
  assert.equal(await page.locator('.editor-layer .mark-error').innerText(), '"detail.state"');
  await page.getByLabel('InputPathsMap').fill('{"state": "$.detail.state"}');
  await page.getByLabel('InputTemplate').fill('{<state>: 1}');
  assert.match(await page.getByRole('alert').innerText(), /placeholder <state> cannot be used as an object key/);
  await page.getByLabel('InputTemplate').fill('"state: <state>"');
  assert.equal(await output.innerText(), '"state: stopped"');
});

test('SNS message attributes as a typed table write the JSON the tester judges', async () => {
  const page = await openTester();
  await page.getByLabel('Dialect').selectOption({ label: 'SNS filter policy on message attributes' });
  await page.getByRole('button', { name: 'Load example', exact: true }).click();
  const card = page.getByRole('region', { name: 'Message attributes 2', exact: true });
  await card.getByRole('button', { name: 'Table', exact: true }).click();
  const table = card.getByRole('table', { name: 'Message attributes 2 table' });
  assert.equal(await table.getByLabel('Attribute 2 type').inputValue(), 'Number');
  await table.getByLabel('Attribute 2 value').fill('30');
  await table.getByLabel('Attribute 2 value').press('Enter');
  await table.getByLabel('Attribute 2 value').blur();
  assert.equal(await card.getByRole('status').innerText(), '✓ Match');
  await card.getByRole('button', { name: 'Add attribute' }).click();
  await table.getByLabel('Attribute 3 type').selectOption('String.Array');
  await card.getByRole('button', { name: 'JSON', exact: true }).click();
  const json = JSON.parse(await card.getByLabel('Message attributes 2 text').inputValue());
  assert.deepEqual(json.quantity, { DataType: 'Number', StringValue: '30' });
  assert.equal(json.attribute3.DataType, 'String.Array');
});

test('the keyboard shortcuts are listed under "?"', async () => {
  const page = await openTester();
  await page.getByRole('button', { name: 'Load example', exact: true }).focus();
  await page.keyboard.press('?');
  const list = page.getByRole('region', { name: 'Keyboard shortcuts list' });
  assert.match(await list.innerText(), /Esc, then Tab/);
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  assert.equal(await list.count(), 0);
  // Anywhere outside a text box, twice: shown, then hidden; typed in a text box, it is text.
  await page.locator('h1').click();
  await page.keyboard.press('?');
  await list.waitFor();
  await page.keyboard.press('?');
  assert.equal(await list.count(), 0);
  await page.getByLabel('Event pattern').focus();
  await page.keyboard.press('?');
  assert.equal(await list.count(), 0);
});

test('a link carries the transformer and opens it in a fresh page', async () => {
  const page = await openTester();
  await page.getByRole('tab', { name: 'Input transformer' }).click();
  await page.getByRole('button', { name: 'Load transformer example' }).click();
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  assert.match(link, /link=2\./);
  const fresh = await app.newPage();
  await gotoApp(fresh, link);
  await fresh.getByRole('tab', { name: 'Input transformer' }).click();
  assert.match(await fresh.getByLabel('InputPathsMap').inputValue(), /"\$\.detail-type"/);
});

test('at 360 px wide the page does not scroll sideways and the controls fit', async () => {
  const page = await openTester({ viewport: { width: 360, height: 740 } });
  await page.getByText('Sample events').click();
  await page.getByText('Operator reference').click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0);
  for (const name of ['Load example', 'Undo', 'Copy link', 'Add event']) {
    const box = await page.getByRole('button', { name, exact: true }).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${name} is on screen: ${JSON.stringify(box)}`);
  }
  // A clicked reason scrolls its span into view inside the narrow editor.
  await event(page, 2).locator('.reason').getByRole('button').click();
  const mark = await event(page, 2).locator('.editor-layer .mark-focus').boundingBox();
  const area = await event(page, 2).getByLabel('Event 2 text').boundingBox();
  assert.ok(mark.x >= area.x && mark.x + mark.width <= area.x + area.width, `${JSON.stringify(mark)} in ${JSON.stringify(area)}`);
  await page.getByRole('tab', { name: 'Input transformer' }).click();
  const after = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(after, 0);
});
