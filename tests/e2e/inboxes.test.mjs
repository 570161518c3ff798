// The playground's inboxes: email, SMS and HTTP/S subscriptions show what SNS delivered to them
// (the message text for email and SMS, the JSON envelope for email-json and HTTP/S).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { gotoApp, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });

async function runPreset(page, id) {
  await gotoApp(page, `${app.url()}#/playground`);
  await page.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
  await page.getByLabel('Preset').selectOption(id);
  await page.getByRole('button', { name: 'Run' }).click();
  await page.getByText(/steps \(trace fingerprint [0-9a-f]{16}\)/).waitFor();
}

for (const colorScheme of ['light', 'dark']) {
  test(`the theme park's outages reach the SMS and email inboxes (${colorScheme})`, async () => {
    const page = await app.newPage({ colorScheme });
    await runPreset(page, 'theme-park');

    const inboxes = page.getByRole('region', { name: 'Inboxes' });
    await inboxes.waitFor();
    assert.match(await inboxes.innerText(), /only its latest \d+ messages/);
    // One group per inbox subscription, in the order the template declares them.
    const groups = await inboxes.getByRole('heading', { level: 3 }).allInnerTexts();
    assert.deepEqual(groups, ['SmsTopic.Subscription[0]', 'EmailTopic.Subscription[0]']);

    const sms = inboxes.getByRole('region', { name: 'SmsTopic.Subscription[0]' });
    assert.match(await sms.innerText(), /SMS to \+15555550100 · \d+ received/);
    const texts = sms.getByRole('list', { name: 'Text messages to +15555550100' }).getByRole('listitem');
    assert.ok((await texts.count()) >= 1);
    // An SMS carries the message text: here the outage event EventBridge sent to the topic.
    const first = await texts.first().innerText();
    assert.match(first, /"source":"themepark\.outages"/);
    assert.match(first, /"type":"Emergency"/);
    assert.match(first, /01:00\.\d{3}/);

    const email = inboxes.getByRole('region', { name: 'EmailTopic.Subscription[0]' });
    assert.match(await email.innerText(), /Email to ops@example\.com · \d+ received/);
    const mails = email.getByRole('list', { name: 'Emails to ops@example.com' }).getByRole('listitem');
    assert.ok((await mails.count()) >= 1);
    assert.match(await mails.first().innerText(), /"type":"Warning"/);

    await mkdir('test-results', { recursive: true });
    await inboxes.screenshot({ path: `test-results/playground-inboxes-${colorScheme}.png` });
    await page.screenshot({ path: `test-results/playground-theme-park-${colorScheme}.png`, fullPage: true });
  });
}

test('a template without email, SMS or HTTP/S subscriptions shows no inboxes', async () => {
  const page = await app.newPage();
  await runPreset(page, 'sns-fanout');
  await page.getByRole('table', { name: 'Resources' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Inboxes' }).count(), 0);
  assert.equal(await page.getByRole('heading', { name: 'Inboxes' }).count(), 0);
});
