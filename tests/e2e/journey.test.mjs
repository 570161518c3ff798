// Following one message through the trace (PRODUCT.md: "click any message to see its whole
// journey"): its steps from where it came from to all that came from it, then back to every step.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { gotoApp, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });

test("a donut order's journey runs from the bus through its rules to the queue and the donut maker", async () => {
  const page = await app.newPage();
  await gotoApp(page, `${app.url()}#/playground`);
  await page.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
  await page.getByLabel('Preset').selectOption('donut-shop');
  await page.getByRole('button', { name: 'Run' }).click();
  await page.getByText(/steps \(trace fingerprint [0-9a-f]{16}\)/).waitFor();

  const trace = page.getByRole('list', { name: 'Trace' });
  const all = await trace.getByRole('listitem').count();
  // The first order the donut queue received.
  const queued = trace.getByRole('listitem').filter({ hasText: 'DonutQueue' }).filter({ hasText: 'received' }).first();
  const follow = queued.getByRole('button', { name: /^Follow message / });
  const label = await follow.getAttribute('aria-label');
  const id = label.replace('Follow message ', '');
  await follow.click();

  const journey = page.getByRole('list', { name: `Journey of message ${id}` });
  await journey.waitFor();
  const steps = journey.getByRole('listitem');
  const count = await steps.count();
  assert.ok(count > 3 && count < all / 4, `${count} of ${all} steps`);
  const text = await journey.innerText();
  for (const resource of ['ShopBus', 'DonutRule', 'DonutQueue', 'DonutMaker']) {
    assert.ok(text.includes(resource), `${resource} in the journey`);
  }
  assert.match(await page.getByRole('status').filter({ hasText: 'The journey of message' }).innerText(),
    new RegExp(`The journey of message ${id}: ${count} steps at \\d+ resources`));

  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/playground-journey.png', fullPage: true });

  await page.getByRole('button', { name: 'Show every step' }).click();
  await trace.waitFor();
  assert.equal(await trace.getByRole('listitem').count(), all);
});
