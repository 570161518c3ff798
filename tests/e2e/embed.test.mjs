// Embed mode (`?embed=1` before the fragment): one view, read-only, without the site's header,
// playing by itself, with a way out ("Open in Eventyard"); and the Embed button that gives the
// snippet. It must never touch the visitor's own autosaved work.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { gotoApp, openPreset, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });

test('the Embed button gives an iframe snippet whose page plays the scenario without the header', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'donut-shop');
  await page.getByRole('button', { name: 'Embed', exact: true }).click();
  const snippet = await page.getByRole('textbox', { name: 'Embed snippet' }).inputValue();
  const src = snippet.match(/^<iframe src="([^"]+)" title="Eventyard playground" width="100%" height="720" loading="lazy"><\/iframe>$/)?.[1];
  assert.ok(src, snippet);
  assert.match(src, /\?embed=1#\/playground\?link=/);
  const saved = await page.evaluate(() => localStorage.getItem('eventyard:playground'));

  // The snippet's page, in a host page's frame as a lesson would have it: a page of its own (not
  // the app's document rewritten), with the frame loaded at once (`loading="lazy"` may wait for a
  // scroll in a headless window).
  const host = await app.newPage();
  await host.setContent(`<!doctype html><title>A lesson</title>${snippet.replace(' loading="lazy"', '')}`);
  const frame = host.frameLocator('iframe');
  await frame.getByRole('figure', { name: 'Topology' }).waitFor({ timeout: 60_000 });
  assert.equal(await frame.getByRole('navigation', { name: 'Main' }).count(), 0, 'no site header');
  assert.equal(await frame.getByLabel('Template (YAML or JSON)').count(), 0, 'read-only: no editor');
  assert.equal(await frame.getByRole('button', { name: 'Copy link' }).count(), 0);
  const open = frame.getByRole('link', { name: 'Open in Eventyard' });
  assert.equal(await open.getAttribute('href'), src.replaceAll('&amp;', '&').replace('?embed=1', ''));
  assert.equal(await open.getAttribute('target'), '_blank');
  // It plays by itself: the virtual time moves without a click.
  const time = frame.getByLabel('Virtual time');
  await time.waitFor();
  const first = await time.innerText();
  let moved = false;
  for (let i = 0; i < 60 && !moved; i += 1) {
    await host.waitForTimeout(500);
    moved = (await time.innerText()) !== first;
  }
  assert.ok(moved, `the virtual time stayed at ${first}`);
  // The visitor's own work is untouched.
  assert.equal(await page.evaluate(() => localStorage.getItem('eventyard:playground')), saved);
});

test('an embedded link to a view opens without the header and links back to the full app', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url()}?embed=1#/learn`);
  await page.getByRole('link', { name: 'Open in Eventyard' }).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
  assert.equal(await page.getByRole('contentinfo').count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Open in Eventyard' }).getAttribute('href'), `${app.url()}#/learn`);
});

test('an embedded playground reads on a phone: 360 px wide, nothing scrolls the page sideways', async () => {
  const page = await app.newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(`${app.url()}?embed=1#/playground?preset=donut-shop`);
  await page.getByRole('figure', { name: 'Topology' }).waitFor();
  await page.getByRole('button', { name: /^DonutRule/ }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
});

test('an embedded pattern test is read-only, keeps its verdicts, and leaves the visitor\'s work alone', async () => {
  const page = await app.newPage();
  await gotoApp(page, `${app.url()}#/pattern-tester`);
  await page.getByRole('button', { name: 'Embed', exact: true }).click();
  const snippet = await page.getByRole('textbox', { name: 'Embed snippet' }).inputValue();
  const src = snippet.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const saved = await page.evaluate(() => localStorage.getItem('eventyard:pattern-tester'));
  const embed = await app.newPage({ viewport: { width: 360, height: 740 } });
  await embed.goto(src);
  const pattern = embed.locator('#pattern');
  await pattern.waitFor();
  assert.equal(await pattern.evaluate((area) => area.readOnly), true);
  assert.equal(await embed.getByRole('button', { name: 'Load example' }).count(), 0);
  assert.ok(await embed.getByRole('status').filter({ hasText: /Match|No match/ }).count() > 0, 'verdicts shown');
  assert.equal(await embed.evaluate(() => document.documentElement.scrollWidth), 360);
  assert.equal(await page.evaluate(() => localStorage.getItem('eventyard:pattern-tester')), saved);
});
