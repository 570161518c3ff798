// Export, the way out to real AWS: the template, the deploy commands, the sends as a PutEvents
// entries file, and a pattern test as AWS CLI lines. Each is a download and a copy button; the
// downloads are checked by the same engine the page runs (the CLI).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cli, gotoApp, openPreset, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });

/** Clicks the download link named `name` and returns the file's text. */
async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  return readFile(await file.path(), 'utf8');
}

test('the playground exports a template that loads and runs, and PutEvents entries the engine takes', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'donut-shop');
  const written = await page.getByLabel('Template (YAML or JSON)').inputValue();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const template = await download(page, 'Download eventyard-template.yaml');
  // Unchanged but for the SAM transform it needs to deploy, appended (every line keeps its place).
  assert.ok(template.startsWith(written), 'the template as written');
  assert.match(template.slice(written.length), /^\n?# Added by Eventyard's export: .*\nTransform: AWS::Serverless-2016-10-31\n$/);
  const commands = await page.getByLabel('Deploy commands', { exact: true }).innerText();
  assert.match(commands, /^# AWS\naws cloudformation deploy --template-file eventyard-template\.yaml --stack-name eventyard-playground --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM CAPABILITY_AUTO_EXPAND/);
  assert.match(commands, /\nawslocal cloudformation deploy --template-file eventyard-template\.yaml/);
  const entries = JSON.parse(await download(page, 'Download eventyard-put-events.json'));
  assert.equal(entries.length, 3);
  for (const entry of entries) {
    assert.deepEqual(Object.keys(entry).sort(), ['Detail', 'DetailType', 'EventBusName', 'Source']);
    assert.equal(typeof JSON.parse(entry.Detail), 'object');
  }
  // The same engine loads the exported template and sends the exported entries.
  await mkdir('test-results', { recursive: true });
  await writeFile('test-results/export-template.yaml', template);
  await writeFile('test-results/export-entries.json', JSON.stringify(entries));
  const run = cli('run', 'test-results/export-template.yaml', '--send', 'test-results/export-entries.json', '--until', '30s');
  assert.match(run, /DonutRule/);
});

test('the pattern tester exports its test as test-event-pattern command lines', async () => {
  const page = await app.newPage();
  await gotoApp(page, `${app.url()}#/pattern-tester`);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const lines = await page.getByLabel('test-event-pattern commands', { exact: true }).innerText();
  assert.match(lines, /^# Event 1\naws events test-event-pattern --event-pattern '\{.*\}' --event '\{.*\}'$/m);
  const text = await download(page, 'Download eventyard-test-event-pattern.sh');
  assert.equal(text, lines.endsWith('\n') ? lines : `${lines}\n`);
});
