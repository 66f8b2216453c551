// Browser test of the levee web console (/ui/) against a running gateway, with Debian's chromium.
//
//   LEVEE_URL=http://127.0.0.1:41234 LEVEE_MASTER_KEY=… LEVEE_READER_KEY=… LEVEE_SCREENSHOTS=/tmp/shots \
//     node --test console.test.mjs
//
// The gateway serves two routes: `default` (healthy simulator tiers) and `flaky`, whose first tier
// target `sim/broken` always answers 503 and whose second tier answers. Its breaker must stay OPEN for
// the length of the test once it opened (no automatic move to half-open within a minute).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.env.LEVEE_URL || '').replace(/\/+$/, '');
const MASTER = process.env.LEVEE_MASTER_KEY;
const READER = process.env.LEVEE_READER_KEY;
const SHOTS = process.env.LEVEE_SCREENSHOTS;
const WAIT = 15_000; // the console polls every 3 s; this leaves room for several polls

assert.ok(BASE && MASTER && READER, 'set LEVEE_URL, LEVEE_MASTER_KEY and LEVEE_READER_KEY');

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
});

// ---------------------------------------------------------------- helpers

/**
 * A page in a fresh context (its own session storage). It records what would be a regression
 * anywhere: script errors, CSP refusals (an inline script or handler crept in), and any URL
 * that carries a key.
 */
async function openPage(t, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (/content security policy/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
  });
  page.on('request', (req) => {
    for (const key of [MASTER, READER]) if (req.url().includes(key)) problems.push(`a key in a URL: ${req.url()}`);
  });
  t.after(async () => {
    await context.close();
    assert.deepEqual(problems, []);
  });
  return page;
}

async function shot(page, name) {
  if (!SHOTS) return;
  await fs.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

/** Signs in the way a keyboard user does: focus the field, type, press Enter. */
async function signIn(page, key) {
  await page.goto(`${BASE}/ui/`);
  await page.locator('#signin-key').waitFor({ state: 'visible', timeout: WAIT });
  await page.focus('#signin-key');
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
  await page.locator('#app').waitFor({ state: 'visible', timeout: WAIT });
}

async function open(page, section) {
  await page.click(`#nav-${section}`);
  await page.locator(`#section-${section}`).waitFor({ state: 'visible', timeout: WAIT });
}

/** Waits until a chart container reports plotted non-zero points (its data-points attribute). */
async function waitForPoints(page, testid) {
  await page.waitForFunction((id) => Number(document.querySelector(`[data-testid=${id}]`)?.dataset.points) > 0, testid,
    { timeout: WAIT });
}

async function chat(secret, model) {
  const response = await fetch(`${BASE}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] }),
  });
  return { status: response.status, body: await response.text(), requestId: response.headers.get('x-request-id') };
}

async function admin(method, pathname, body) {
  const response = await fetch(`${BASE}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- tests

test('without a key only the sign-in form shows; a wrong key is refused; the reader key cannot manage keys', async (t) => {
  const page = await openPage(t);
  await page.goto(`${BASE}/ui/#breakers`);
  await page.locator('#signin-form').waitFor({ state: 'visible', timeout: WAIT });
  assert.equal(await page.locator('#app').isVisible(), false);
  assert.equal(await page.locator('[data-testid=breaker-row], [data-testid=request-row], [data-testid=slo-row]').count(), 0);

  await page.fill('#signin-key', 'not-the-key');
  await page.press('#signin-key', 'Enter');
  await page.waitForFunction(() => document.querySelector('#signin-error').textContent.trim() !== '', null, { timeout: WAIT });
  assert.equal(await page.locator('#app').isVisible(), false);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'a refused key is not kept');

  await page.fill('#signin-key', READER);
  await page.press('#signin-key', 'Enter');
  await page.locator('#app').waitFor({ state: 'visible', timeout: WAIT });
  assert.equal(await page.locator('#signin-error').textContent(), '');
  await open(page, 'keys');
  const notice = page.locator('[data-testid=keys-needs-master]');
  await notice.waitFor({ state: 'visible', timeout: WAIT });
  assert.match(await notice.textContent(), /needs the master key/);
  assert.equal(await page.locator('#key-form').isVisible(), false);

  await page.click('#signout');
  await page.locator('#signin-form').waitFor({ state: 'visible', timeout: WAIT });
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'signing out forgets the key');
});

test('master key: create a key, send traffic, see it in charts, breakers and a drill-down, then revoke it', async (t) => {
  const page = await openPage(t);
  await signIn(page, MASTER);

  await open(page, 'keys');
  const name = `console-test-${Date.now()}`;
  await page.fill('#key-name', name);
  await page.fill('#key-team', 'console');
  await page.fill('#key-routes', 'default, flaky');
  await page.fill('#key-budget', '5');
  await page.selectOption('#key-period', 'day');
  await page.click('#key-form button[type=submit]');
  await page.waitForFunction(() => /\S/.test(document.querySelector('#key-secret').textContent), null, { timeout: WAIT });
  const secret = (await page.locator('#key-secret').textContent()).trim();
  const keyId = (await page.locator('#key-secret-id').textContent()).trim();
  await page.locator(`[data-testid=key-row][data-key-id="${keyId}"][data-status=active]`).waitFor({ timeout: WAIT });

  // Paced traffic, so that more than one 5 s bucket fills: 40 to `default`, 20 to `flaky`.
  const sent = { default: [], flaky: [] };
  for (let round = 0; round < 10; round++) {
    for (const model of ['default', 'default', 'flaky', 'default', 'default', 'flaky']) {
      const answer = await chat(secret, model);
      assert.equal(answer.status, 200, `${model}: ${answer.body}`);
      assert.ok(answer.requestId, 'the answer names its request (x-request-id)');
      sent[model].push(answer.requestId);
    }
    await pause(700);
  }

  await open(page, 'overview');
  await waitForPoints(page, 'chart-requests');
  await waitForPoints(page, 'chart-latency');
  await waitForPoints(page, 'chart-tokens');
  // The scope selector switches every chart to one target: sim/broken only ever fails.
  await page.locator('#scope option[value="target|sim/broken"]').waitFor({ state: 'attached', timeout: WAIT });
  await page.selectOption('#scope', 'target|sim/broken');
  await waitForPoints(page, 'chart-errors');
  await page.selectOption('#scope', 'all|all');
  await waitForPoints(page, 'chart-requests');
  await shot(page, 'console-overview.png');

  await open(page, 'breakers');
  const broken = page.locator('[data-testid=breaker-row][data-target="sim/broken"][data-state="OPEN"]');
  await broken.waitFor({ timeout: WAIT });
  assert.match(await broken.textContent(), /open/i, 'the state is in the text, not only in a colour');
  await page.locator('[data-testid=transition-row][data-target="sim/broken"][data-from="CLOSED"][data-to="OPEN"]').first()
    .waitFor({ timeout: WAIT });
  await waitForPoints(page, 'chart-transitions');
  await shot(page, 'console-breakers.png');

  // The first flaky request ran while the breaker was still closed: sim/broken failed, tier 1 answered.
  await open(page, 'requests');
  const first = sent.flaky[0];
  await page.locator(`[data-testid=request-row][data-request-id="${first}"]`).click({ timeout: WAIT });
  await page.locator(`#request-detail[data-request-id="${first}"] [data-testid=attempt-row]`).first().waitFor({ timeout: WAIT });
  const attempts = await page.locator('#request-detail [data-testid=attempt-row]')
    .evaluateAll((rows) => rows.map((r) => `${r.dataset.target}:${r.dataset.outcome}`));
  const failed = attempts.indexOf('sim/broken:failed');
  const succeeded = attempts.findIndex((a) => a.endsWith(':succeeded'));
  assert.ok(failed >= 0 && succeeded > failed, `attempts: ${attempts.join(', ')}`);
  await shot(page, 'console-requests.png');

  // Find by id: a known one opens, an unknown one says so in the page.
  const last = sent.default.at(-1);
  await page.fill('#find-id', last);
  await page.press('#find-id', 'Enter');
  await page.locator(`#request-detail[data-request-id="${last}"] [data-testid=attempt-row][data-outcome=succeeded]`)
    .waitFor({ timeout: WAIT });
  await page.fill('#find-id', 'no-such-request-id');
  await page.press('#find-id', 'Enter');
  await page.waitForFunction(() => document.querySelector('#section-requests [data-error]').textContent.trim() !== '', null,
    { timeout: WAIT });

  // Revoke: Escape cancels the confirmation, Confirm revokes; the key stops working at once.
  await open(page, 'keys');
  const row = page.locator(`[data-testid=key-row][data-key-id="${keyId}"]`);
  await row.locator('[data-testid=revoke-key]').click({ timeout: WAIT });
  await page.locator('#confirm-dialog').waitFor({ state: 'visible', timeout: WAIT });
  await page.keyboard.press('Escape');
  await page.locator('#confirm-dialog').waitFor({ state: 'hidden', timeout: WAIT });
  assert.equal(await row.getAttribute('data-status'), 'active');
  await row.locator('[data-testid=revoke-key]').click({ timeout: WAIT });
  await page.click('#confirm-ok');
  await page.locator(`[data-testid=key-row][data-key-id="${keyId}"][data-status=revoked]`).waitFor({ timeout: WAIT });
  assert.equal((await chat(secret, 'default')).status, 401);
});

test('the usage report shows a row and exports CSV', async (t) => {
  // Its own key and request, so this does not lean on the test before.
  const created = await admin('POST', '/levee/admin/keys', { name: `console-usage-${Date.now()}`, team: 'console' });
  assert.equal(created.status, 201);
  t.after(() => admin('DELETE', `/levee/admin/keys/${created.json.id}`));
  assert.equal((await chat(created.json.key, 'default')).status, 200);

  const page = await openPage(t);
  await signIn(page, MASTER);
  await open(page, 'keys');
  await page.selectOption('#usage-group', 'key');
  // Usage may reach the store a moment after the answer: ask again until the row is there.
  const row = page.locator(`[data-testid=usage-row][data-group="${created.json.id}"]`);
  const deadline = Date.now() + WAIT;
  do {
    await page.click('#usage-form button[type=submit]');
    await row.waitFor({ timeout: 2_000 }).catch(() => {});
  } while (await row.count() === 0 && Date.now() < deadline);
  assert.equal(await row.count(), 1, 'the usage report lists the new key');

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT }), page.click('#usage-export')]);
  const csv = await fs.readFile(await download.path(), 'utf8');
  assert.match(csv, /^key,requests,errors,prompt_tokens,completion_tokens,cost_usd\r?\n/);
  assert.ok(csv.includes(created.json.id), csv);
  await shot(page, 'console-keys.png');
});

test('at a phone width the body does not scroll sideways and the nav is reachable', async (t) => {
  const page = await openPage(t, { width: 390, height: 844 });
  await signIn(page, MASTER);
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

  for (const section of ['overview', 'breakers', 'requests', 'keys', 'alerts']) {
    const link = page.locator(`#nav-${section}`);
    const box = await link.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 391, `#nav-${section} lies within the screen: ${JSON.stringify(box)}`);
    await open(page, section);
    await page.locator(`#section-${section} tbody tr, #section-${section} [data-points]`).first().waitFor({ timeout: WAIT });
    assert.ok(await fits(), `${section}: the page scrolls sideways`);
  }

  // By keyboard: a few Tabs from the top of a fresh page (the key stays in session storage) reach the nav.
  await page.reload();
  await page.locator('#app').waitFor({ state: 'visible', timeout: WAIT });
  let reached = false;
  for (let i = 0; i < 6 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.id === 'nav-overview');
  }
  assert.ok(reached, 'Tab reaches the nav');
  await page.keyboard.press('Enter');
  await page.locator('#section-overview').waitFor({ state: 'visible', timeout: WAIT });
  await waitForPoints(page, 'chart-requests');
  assert.ok(await fits(), 'overview: the page scrolls sideways');
  await shot(page, 'console-phone.png');
});
