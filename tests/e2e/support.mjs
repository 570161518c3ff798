// Shared by the end-to-end tests: serves the built app (dist/) on a free loopback port and opens
// it in headless Chromium, collecting every console error and uncaught exception on the way.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// The test command builds into target/e2e-dist (EVENTYARD_DIST), so a running serve keeps dist/.
const DIST = process.env.EVENTYARD_DIST
  ? `${process.env.EVENTYARD_DIST.replace(/\/$/, '')}/`
  : fileURLToPath(new URL('../../dist/', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.yaml': 'text/yaml; charset=utf-8',
};

/**
 * Serves dist/ on 127.0.0.1 on a port the system picks, under `prefix` (a sub-path such as
 * `/lessons/eventyard/`; anything outside it is not found); resolves to { url, close }.
 */
export async function serveDist({ prefix = '/' } = {}) {
  const server = createServer(async (request, response) => {
    const requested = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    if (!requested.startsWith(prefix)) {
      response.writeHead(404).end('not found');
      return;
    }
    const path = `/${requested.slice(prefix.length)}`;
    const file = join(DIST, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(DIST)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Launches Debian's Chromium headless, with the flags this closed network needs. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

// Chromium's own warning about Trunk's preload links; not an error of the page.
const IGNORED = [/`integrity` attribute is currently ignored for preload destinations/];

/**
 * A new page that records console errors and uncaught exceptions into `page.errors`.
 * Options pass through to browser.newPage (viewport, colorScheme, ...).
 */
export async function openPage(browser, options = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...options });
  page.errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !IGNORED.some((re) => re.test(message.text()))) {
      page.errors.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => page.errors.push(`pageerror: ${error.message}`));
  return page;
}

/** Opens `url` and waits until the app has rendered its shell. */
export async function gotoApp(page, url) {
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * Registers the hooks every test file needs: one server and one browser for the file, and after
 * each test, closes its pages and fails the test if the console had errors.
 * Returns { url(), newPage(options) }.
 */
export function useApp({ before, after, afterEach }) {
  let server;
  let browser;
  const pages = [];
  before(async () => {
    server = await serveDist();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) {
      const errors = page.errors;
      await page.close();
      if (errors.length > 0) {
        throw new Error(`the browser console had errors:\n${errors.join('\n')}`);
      }
    }
  });
  return {
    url: () => server.url,
    newPage: async (options) => {
      const page = await openPage(browser, options);
      pages.push(page);
      return page;
    },
  };
}

/** `mm:ss.mmm` (or `h:mm:ss.mmm`) of virtual time, as the page prints it. */
export function clock(ms) {
  const pad = (n, width) => String(n).padStart(width, '0');
  const [h, m, s, milli] = [Math.floor(ms / 3_600_000), Math.floor(ms / 60_000) % 60, Math.floor(ms / 1000) % 60, ms % 1000];
  return h > 0 ? `${h}:${pad(m, 2)}:${pad(s, 2)}.${pad(milli, 3)}` : `${pad(m, 2)}:${pad(s, 2)}.${pad(milli, 3)}`;
}

/** Opens the playground on a preset by its link (a fresh browser has no saved work: it loads). */
export async function openPreset(page, base, id) {
  await gotoApp(page, `${base}#/playground?preset=${id}`);
  await page.getByRole('figure', { name: 'Topology' }).waitFor();
  // The playground draws its saved (or default) template first and the link's preset after:
  // wait until the preset is the document, then two frames for its run to be drawn.
  await page.waitForFunction((preset) => document.querySelector('#preset')?.value === preset, id);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** Moves the Time slider to `ms` and waits until the page shows that virtual time. */
export async function seekTo(page, ms) {
  await page.getByRole('slider', { name: 'Time' }).fill(String(ms));
  await page.getByLabel('Virtual time').filter({ hasText: clock(ms) }).waitFor({ timeout: 60_000 });
}

/** A diagram node's figures, parsed from its accessible name ("DonutRule, Rule (...): matched 4, ..."). */
export async function nodeFigures(page, id) {
  const node = page.getByRole('figure', { name: 'Topology' }).getByRole('button', { name: new RegExp(`^${id}, `) });
  const label = await node.getAttribute('aria-label');
  const figures = {};
  for (const [, name, value] of label.split('): ').at(-1).matchAll(/([a-zA-Z ]+?) (\d+)(?:, |$)/g)) {
    figures[name.trim()] = Number(value);
  }
  return figures;
}

/** Runs the CLI the native tests built (cargo test builds the binary); returns its output. */
export function cli(...args) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const target = process.env.CARGO_TARGET_DIR ?? `${root}target`;
  const binary = ['debug/eventyard', 'release/eventyard'].map((p) => `${target}/${p}`).find(existsSync);
  if (!binary) throw new Error('the eventyard binary is not built (cargo build -p eventyard-cli)');
  return execFileSync(binary, args, { encoding: 'utf8' }).trim();
}
