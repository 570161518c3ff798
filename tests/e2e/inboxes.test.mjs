// The playground's inboxes: email, SMS and HTTP/S subscriptions show what SNS delivered to them
// (the message text for email and SMS, the JSON envelope for email-json and HTTP/S).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { gotoApp, openPreset, seekTo, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });

async function runPreset(page, id, untilMs) {
  await openPreset(page, app.url(), id);
  await seekTo(page, untilMs);
}

for (const colorScheme of ['light', 'dark']) {
  test(`the theme park's outages reach the SMS and email inboxes (${colorScheme})`, async () => {
    const page = await app.newPage({ colorScheme });
    await runPreset(page, 'theme-park', 300_000);

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

test('email-json and HTTPS inboxes show the subject and the JSON envelope, and say when older messages were dropped', async () => {
  const template = [
    'Metadata:',
    '  Eventyard:',
    '    Events:',
    '      - {At: 30s, Every: 1m, Count: 60, Publish: {TopicArn: !Ref Alerts, Subject: Ride closed, Message: Log Flume is closed}}',
    'Resources:',
    '  Alerts:',
    '    Type: AWS::SNS::Topic',
    '  Hook:',
    '    Type: AWS::SNS::Subscription',
    '    Properties: {TopicArn: !Ref Alerts, Protocol: https, Endpoint: "https://example.com/hook"}',
    '  Mail:',
    '    Type: AWS::SNS::Subscription',
    '    Properties: {TopicArn: !Ref Alerts, Protocol: email-json, Endpoint: ops@example.com}',
    '',
  ].join('\n');
  const page = await app.newPage();
  await gotoApp(page, `${app.url()}#/playground`);
  await page.getByLabel('Template (YAML or JSON)').fill(template);
  await page.getByRole('figure', { name: 'Topology' }).locator('g.node', { hasText: 'Mail' }).waitFor();
  await seekTo(page, 3_600_000);

  const inboxes = page.getByRole('region', { name: 'Inboxes' });
  await inboxes.waitFor();
  assert.deepEqual(await inboxes.getByRole('heading', { level: 3 }).allInnerTexts(), ['Hook', 'Mail']);
  const hook = inboxes.getByRole('region', { name: 'Hook' });
  assert.match(await hook.innerText(), /HTTPS endpoint to https:\/\/example\.com\/hook · 60 received; only the latest 50 are kept and shown\./);
  const requests = hook.getByRole('list', { name: 'Requests to https://example.com/hook' }).getByRole('listitem');
  assert.equal(await requests.count(), 50);
  const last = requests.last();
  assert.match(await last.innerText(), /^59:30\.\d{3}\s+Ride closed\s+Log Flume is closed/);
  // The envelope is folded away until asked for, then shown as AWS sends it.
  await last.getByText('JSON envelope').click();
  assert.match(await last.locator('pre').innerText(), /"Type": "Notification",[\s\S]*"Subject": "Ride closed",/);

  const mails = inboxes.getByRole('list', { name: 'Emails to ops@example.com' }).getByRole('listitem');
  assert.equal(await mails.count(), 50);
  assert.match(await mails.first().innerText(), /^10:30\.\d{3}\s+Ride closed/);

  await mkdir('test-results', { recursive: true });
  await hook.screenshot({ path: 'test-results/playground-inbox-https.png' });
  await last.screenshot({ path: 'test-results/playground-inbox-https-envelope.png' });
});

test('a template without email, SMS or HTTP/S subscriptions shows no inboxes', async () => {
  const page = await app.newPage();
  await runPreset(page, 'sns-fanout', 60_000);
  assert.equal(await page.getByRole('region', { name: 'Inboxes' }).count(), 0);
  assert.equal(await page.getByRole('heading', { name: 'Inboxes' }).count(), 0);
});
