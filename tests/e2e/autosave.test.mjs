// Autosave keeps work: a saved document that cannot be read (damaged, or from a newer version)
// is kept aside, the page says so and offers it for download; nothing overwrites it.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { gotoApp, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });

/** Opens the app once with `saved` already in local storage under `key`. */
async function openWithSave(page, key, saved, view) {
  await page.addInitScript(([key, saved]) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem(`eventyard:${key}`, saved);
      sessionStorage.setItem('seeded', '1');
    }
  }, [key, saved]);
  await gotoApp(page, `${app.url()}#/${view}`);
}

test('a save from a newer version is kept aside, offered for download, and survives a reload', async () => {
  const page = await app.newPage();
  const newer = '{"format":9,"document":{"pattern":"{\\"source\\":[\\"mine\\"]}"}}';
  await openWithSave(page, 'pattern-tester', newer, 'pattern-tester');
  const notice = page.getByRole('alert', { name: 'Saved work kept aside' });
  await notice.waitFor();
  assert.match(await notice.innerText(), /could not be read: a newer version of Eventyard wrote it \(format 9; this one reads up to 1\)/);
  const download = notice.getByRole('link', { name: 'Download the saved work' });
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const { readFile } = await import('node:fs/promises');
  assert.equal(await readFile(await file.path(), 'utf8'), newer, 'the download is the save, byte for byte');
  // The tester started afresh and autosaves; the kept copy is still there after a reload.
  await page.reload();
  await page.getByRole('alert', { name: 'Saved work kept aside' }).waitFor();
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('unreadable')));
  assert.deepEqual(kept, ['eventyard:pattern-tester:unreadable:1']);
  // Forget it: the notice goes, and so does the copy.
  await page.getByRole('button', { name: 'Forget it' }).click();
  assert.equal(await page.getByRole('alert', { name: 'Saved work kept aside' }).count(), 0);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('unreadable'))), []);
});

test('a damaged playground save is kept aside and the playground still opens', async () => {
  const page = await app.newPage();
  await openWithSave(page, 'playground', '{"format":1,"document":{"template":', 'playground');
  const notice = page.getByRole('alert', { name: 'Saved work kept aside' });
  await notice.waitFor();
  assert.match(await notice.innerText(), /Your saved playground work could not be read: it is damaged/);
  await page.getByLabel('Template (YAML or JSON)').waitFor();
});

test('a save from before the format had a version still opens as it was', async () => {
  const page = await app.newPage();
  const bare = JSON.stringify({ dialect: 'EventBridge', pattern: '{"source": ["legacy.app"]}', events: ['{"source": "legacy.app"}'] });
  await openWithSave(page, 'pattern-tester', bare, 'pattern-tester');
  await page.getByRole('heading', { level: 1, name: 'Pattern tester' }).waitFor();
  assert.match(await page.getByLabel('Event pattern').inputValue(), /legacy\.app/);
  assert.equal(await page.getByRole('alert', { name: 'Saved work kept aside' }).count(), 0);
});
