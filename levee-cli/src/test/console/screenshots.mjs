// Screenshots of the console under load, for the README (docs/console-*.png):
//
//   LEVEE_URL=http://127.0.0.1:4000 LEVEE_MASTER_KEY=… node screenshots.mjs ../../../../docs [seconds]
//
// Against a gateway serving the routes `default` and `flaky` (as in ConsoleBrowserTest): creates a
// key through the admin API, sends traffic with it for the given seconds (default 150) — 16 requests
// in flight, a third streamed, a quarter to `flaky` — and then photographs the overview and the
// breakers at 1280×800 while the traffic still flows.
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.env.LEVEE_URL || '').replace(/\/+$/, '');
const MASTER = process.env.LEVEE_MASTER_KEY;
const [outDir = '.', secondsArg = '150'] = process.argv.slice(2);
if (!BASE || !MASTER) throw new Error('set LEVEE_URL and LEVEE_MASTER_KEY');

const admin = { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' };
const created = await (await fetch(`${BASE}/levee/admin/keys`, {
  method: 'POST', headers: admin, body: JSON.stringify({ name: 'screenshots', team: 'docs' }),
})).json();
const key = created.key;

const prompts = ['Explain circuit breakers', 'What is a fallback tier?', 'Summarise retries with jitter',
  'Why do deadlines matter?', 'Describe load shedding'];
let stop = false;
let sent = 0;
async function worker(n) {
  for (let i = n; !stop; i += 16) {
    const body = {
      model: i % 4 === 0 ? 'flaky' : 'default',
      stream: i % 3 === 0,
      messages: [{ role: 'user', content: prompts[i % prompts.length] }],
    };
    const r = await fetch(`${BASE}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await r.text();
    sent++;
  }
}
const workers = Array.from({ length: 16 }, (_, n) => worker(n));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  await new Promise((resolve) => setTimeout(resolve, Number(secondsArg) * 1000));
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(`${BASE}/ui/`);
  await page.fill('#signin-key', MASTER);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=chart-requests][data-points]:not([data-points="0"])').waitFor({ timeout: 15_000 });
  await page.waitForTimeout(1000); // the charts' own animation
  await fs.mkdir(outDir, { recursive: true });
  await page.screenshot({ path: path.join(outDir, 'console-overview.png'), fullPage: true });
  await page.click('#nav-breakers');
  await page.locator('[data-testid=breaker-row]').first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.join(outDir, 'console-breakers.png') });
} finally {
  stop = true;
  await Promise.all(workers);
  await browser.close();
}
console.log(`${sent} requests sent; screenshots in ${outDir}`);
