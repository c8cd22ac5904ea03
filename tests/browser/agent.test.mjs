// The agent's path through Ticketwerk in a real browser: sign in, see the
// queue, open a ticket, add a note, find the ticket again.  Debian's
// Chromium is driven by playwright-core; axe-core checks every page it
// visits for accessibility; the pages' console, errors and requests are
// watched throughout.  README.md beside this file says how to run it.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUTPUT = resolve(HERE, '..', 'output');
const BASE = process.env.TW_TEST_URL;
const PASSWORD = process.env.TW_ADMIN_PASSWORD;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const AXE_SOURCE = readFileSync(
    createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
    'best-practice'];

const skip = !BASE ? 'TW_TEST_URL is not set: no Ticketwerk to test'
    : !PASSWORD ? 'TW_ADMIN_PASSWORD is not set: cannot sign in as admin'
    : false;

// What the pages did that they should not have, over the whole run.
const trouble = [];

// Unique per run, so a dev instance's old tickets never match; the umlaut
// and the tag show whether the pages keep text as text.
const RUN = `${Date.now().toString(36)}-${process.pid}`;
const SUBJECT = `Größe <b>fett</b> Drucker streikt ${RUN}`;
const NOTE = `Rückruf erledigt, Toner bestellt ${RUN}`;

// Records console errors, uncaught page errors (CSP violations arrive as
// console errors), failed responses, stylesheets served as something other
// than CSS (Chromium drops those without a console error) and any request
// that leaves the test host.
function watch(page, who) {
	const origin = new URL(BASE).origin;

	page.on('console', (msg) => {
		if (msg.type() !== 'error')
			return;
		const where = msg.location().url;
		trouble.push(`${who}: console error: ${msg.text()}` +
		    (where ? ` (${where})` : ''));
	});
	page.on('pageerror', (err) => {
		trouble.push(`${who}: page error: ${err.message}`);
	});
	page.on('request', (req) => {
		const url = new URL(req.url());
		if (url.protocol === 'data:' || url.origin === origin)
			return;
		trouble.push(`${who}: request to another host: ` +
		    `${req.method()} ${req.url()}`);
	});
	page.on('response', (resp) => {
		const req = resp.request();
		const type = resp.headers()['content-type'] || '';

		if (resp.status() >= 400)
			trouble.push(`${who}: ${resp.status()} for ` +
			    `${req.method()} ${resp.url()}`);
		/* A 304 revalidation carries no type; the cached copy was
		 * checked when it first arrived. */
		if (req.resourceType() === 'stylesheet' &&
		    resp.status() !== 304 &&
		    !/^text\/css(;|$)/.test(type))
			trouble.push(`${who}: stylesheet ${resp.url()} ` +
			    `served as "${type}"`);
	});
}

// Fails unless every linked stylesheet loaded and holds rules: an
// unstyled page would pass every other check here.
async function checkStyled(page, what) {
	const sheets = await page.evaluate(() => ({
		links: document.querySelectorAll('link[rel="stylesheet"]')
		    .length,
		loaded: [...document.styleSheets].filter((s) => {
			try {
				return s.cssRules.length > 0;
			} catch {
				return false;
			}
		}).length
	}));

	assert.ok(sheets.links > 0, `${what} links no stylesheet`);
	assert.equal(sheets.loaded, sheets.links,
	    `${what}: only ${sheets.loaded} of ${sheets.links} ` +
	    'stylesheets applied');
}

// Takes the full-page screenshot tests/output/browser-NAME.png and checks
// the page's styling and accessibility.
async function inspect(t, page, name, what) {
	await page.screenshot({ path: join(OUTPUT, `browser-${name}.png`),
	    fullPage: true });
	await checkStyled(page, what);
	await checkAxe(t, page, what);
}

// Formats axe's violations one node per line, for a failure message.
function describeViolations(violations) {
	const lines = [];

	for (const v of violations) {
		lines.push(`- ${v.id} (${v.impact}): ${v.help}`);
		for (const n of v.nodes) {
			lines.push(`    at ${n.target.join(' ')}`);
			lines.push(`       ${n.html}`);
			for (const why of n.why.split('\n'))
				lines.push(`       ${why}`);
		}
	}
	return lines.join('\n');
}

// Runs axe-core in the page and fails on any violation.  The source goes
// in through the DevTools protocol, which the page's CSP does not govern,
// so the page keeps its real policy and CSP violations stay observable.
async function checkAxe(t, page, what) {
	await page.evaluate(AXE_SOURCE);
	const result = await page.evaluate(async (tags) => {
		const r = await globalThis.axe.run(document,
		    { runOnly: tags, resultTypes: ['violations'] });
		return {
			passes: r.passes.length,
			incomplete: r.incomplete.map((i) => i.id),
			violations: r.violations.map((v) => ({
				id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.map((n) => ({
					target: n.target.map(String),
					html: n.html,
					why: n.failureSummary || ''
				}))
			}))
		};
	}, AXE_TAGS);

	t.diagnostic(`axe on ${what}: ${result.violations.length} ` +
	    `violations, ${result.passes} rules passed` +
	    (result.incomplete.length ?
	    `, to review by hand: ${result.incomplete.join(' ')}` : ''));
	assert.equal(result.violations.length, 0,
	    `axe found violations on ${what} (${page.url()}):\n` +
	    describeViolations(result.violations));
}

// Clicks a form's submit button and fails unless the POST is answered
// with a redirect; the failure quotes what the page said instead.
async function submit(page, button, what) {
	const posted = page.waitForResponse((r) =>
	    r.request().method() === 'POST');
	await page.click(button);
	const resp = await posted;
	if (resp.status() === 303)
		return;
	await page.waitForLoadState();
	const said = await page.locator('main .alert, main .message, main h1')
	    .allTextContents();
	assert.fail(`${what} answered ${resp.status()} instead of 303: ` +
	    said.map((x) => x.trim()).join(' / '));
}

// One step of the agent's path; every step is skipped, with the reason,
// when there is no instance to test.
function step(name, fn) {
	return test(name, { skip }, fn);
}

describe('an agent in Chromium', () => {
	let browser;
	let page;
	const done = {};

	before(async () => {
		if (skip)
			return;
		mkdirSync(OUTPUT, { recursive: true });
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-gpu',
			    '--disable-quic', '--no-first-run',
			    '--disable-background-networking',
			    '--disable-component-update', '--disable-sync']
		});
		const context = await browser.newContext({
			locale: 'en-GB',
			viewport: { width: 1280, height: 800 }
		});
		context.setDefaultTimeout(10000);
		page = await context.newPage();
		watch(page, 'en');
	});

	after(async () => {
		if (browser)
			await browser.close();
	});

	step('the queue sends a stranger to sign in; signing in works',
	    async (t) => {
		await page.goto(new URL('/tickets/', BASE).href);
		const url = new URL(page.url());
		assert.equal(url.pathname, '/signin');
		assert.equal(url.searchParams.get('next'), '/tickets/');
		assert.equal(await page.getAttribute('html', 'lang'), 'en');
		await page.locator('main h1').waitFor();
		await inspect(t, page, 'signin', 'the sign-in page');

		await page.fill('#login', 'admin');
		await page.fill('#password', PASSWORD);
		await submit(page, 'main form button[type="submit"]',
		    'signing in');
		await page.waitForURL((u) => u.pathname === '/tickets/');
		done.signedIn = true;
	});

	step('the queue shows after signing in', async (t) => {
		if (!done.signedIn)
			return t.skip('needs the sign-in step');
		const h1 = page.locator('main h1');
		assert.ok(await h1.isVisible(), 'the queue has no visible h1');
		assert.equal(await page.textContent(
		    'nav a[aria-current="page"]'), 'Queue');
		await inspect(t, page, 'queue', 'the queue');
		done.queue = true;
	});

	step('a new ticket can be written from the navigation', async (t) => {
		if (!done.queue)
			return t.skip('needs the queue step');
		await page.locator('header nav')
		    .getByRole('link', { name: 'New ticket' }).click();
		await page.waitForURL((u) => u.pathname === '/tickets/new');
		await inspect(t, page, 'ticket-new', 'the new-ticket form');

		const options = page.locator('#channel option');
		const count = await options.count();
		assert.ok(count > 0, 'the channel list is empty');
		const channel = (await options.nth(count - 1).textContent())
		    .trim();
		await page.fill('#subject', SUBJECT);
		await page.selectOption('#channel', { label: channel });
		await page.fill('#body', 'Im 2. Stock druckt der Drucker ' +
		    'nur Streifen.\nBitte Toner prüfen.');
		await submit(page, 'main form button[type="submit"]',
		    'sending the new ticket');
		await page.waitForURL((u) =>
		    /^\/tickets\/\d+$/.test(u.pathname));
		done.ticketUrl = page.url();
		done.channel = channel;
	});

	step('the ticket page shows the subject as text and takes a note',
	    async (t) => {
		if (!done.ticketUrl)
			return t.skip('needs the new-ticket step');
		const h1 = page.locator('main h1');
		const heading = await h1.textContent();
		assert.ok(heading.includes(SUBJECT),
		    `h1 "${heading}" lacks the subject`);
		assert.equal(await h1.locator('b').count(), 0,
		    'the subject\'s <b> became markup in the h1');
		const facts = await page.textContent('dl.facts');
		assert.ok(facts.includes(done.channel),
		    `the facts do not name the channel "${done.channel}"`);
		await checkStyled(page, 'the ticket page');
		await checkAxe(t, page, 'the ticket page');

		await page.fill('#body', NOTE);
		await submit(page, 'section.panel form button[type="submit"]',
		    'adding a note');
		await page.waitForURL((u) =>
		    u.pathname === new URL(done.ticketUrl).pathname);
		await page.locator('ol.items .item-body',
		    { hasText: NOTE }).waitFor();
		assert.equal(await page.locator('ol.items .item-body',
		    { hasText: NOTE }).count(), 1,
		    'the note is not in the history exactly once');
		await inspect(t, page, 'ticket', 'the ticket page with a note');
		done.note = true;
	});

	step('the queue lists the ticket and leads back to it', async (t) => {
		if (!done.ticketUrl)
			return t.skip('needs the new-ticket step');
		await page.locator('header nav')
		    .getByRole('link', { name: 'Queue' }).click();
		await page.waitForURL((u) => u.pathname === '/tickets/');

		const row = page.locator('table.queue tbody tr',
		    { hasText: SUBJECT });
		for (let n = 1; await row.count() === 0 && n < 5; n++) {
			const older = page.locator('nav.pager a[rel="next"]');
			if (await older.count() === 0)
				break;
			await older.click();
			await page.waitForURL((u) =>
			    u.searchParams.has('page'));
		}
		assert.equal(await row.count(), 1,
		    'the queue does not list the new ticket exactly once');
		const link = row.locator('td.subject a');
		assert.equal((await link.textContent()).trim(), SUBJECT);
		assert.equal(await link.locator('b').count(), 0,
		    'the subject\'s <b> became markup in the queue');

		await link.click();
		await page.waitForURL(done.ticketUrl);
		assert.ok((await page.textContent('main h1'))
		    .includes(SUBJECT), 'the row led to another ticket');
	});

	step('the sign-in page speaks German to a German browser',
	    async (t) => {
		const context = await browser.newContext({
			locale: 'de-DE',
			viewport: { width: 1280, height: 800 }
		});
		try {
			const de = await context.newPage();
			watch(de, 'de');
			await de.goto(new URL('/tickets/', BASE).href);
			assert.equal(new URL(de.url()).pathname, '/signin');
			assert.equal(await de.getAttribute('html', 'lang'),
			    'de');
			const button = await de.textContent(
			    'main form button[type="submit"]');
			assert.match(button, /Anmelden/);
			assert.match(await de.textContent('label[for="login"]'),
			    /Anmeldename/);
			await inspect(t, de, 'signin-de',
			    'the German sign-in page');
		} finally {
			await context.close();
		}
	});

	step('no console errors, page errors, failed responses, CSP ' +
	    'violations or requests elsewhere', () => {
		assert.deepEqual(trouble, [], 'the pages misbehaved:\n' +
		    trouble.join('\n'));
	});
});
