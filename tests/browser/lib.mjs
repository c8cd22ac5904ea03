// What the browser tests share: where the instance is, launching Debian's
// Chromium, and the checks every page goes through (console, requests,
// stylesheets, axe-core).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const OUTPUT = resolve(HERE, '..', 'output');
export const BASE = process.env.TW_TEST_URL;
export const PASSWORD = process.env.TW_ADMIN_PASSWORD;
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const AXE_SOURCE = readFileSync(
    createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
    'best-practice'];

export const skip = !BASE ? 'TW_TEST_URL is not set: no Ticketwerk to test'
    : !PASSWORD ? 'TW_ADMIN_PASSWORD is not set: cannot sign in as admin'
    : false;

// What the pages did that they should not have, over the whole run.
export const trouble = [];

// Unique per run, so a dev instance's old tickets never match.
export const RUN = `${Date.now().toString(36)}-${process.pid}`;

// Records console errors, uncaught page errors (CSP violations arrive as
// console errors), failed responses, stylesheets served as something other
// than CSS (Chromium drops those without a console error) and any request
// that leaves the test host.
export function watch(page, who) {
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
export async function checkStyled(page, what) {
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
export async function inspect(t, page, name, what) {
	await page.screenshot({ path: join(OUTPUT, `browser-${name}.png`),
	    fullPage: true });
	await checkStyled(page, what);
	await checkAxe(t, page, what);
}

// Formats axe's violations one node per line, for a failure message.
export function describeViolations(violations) {
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
export async function checkAxe(t, page, what) {
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
export async function submit(page, button, what) {
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

// Starts Chromium the way this machine allows (no sandbox as root, no
// background traffic to the closed network).
export async function launch() {
	mkdirSync(OUTPUT, { recursive: true });
	return chromium.launch({
		executablePath: CHROMIUM,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
		    '--no-first-run', '--disable-background-networking',
		    '--disable-component-update', '--disable-sync']
	});
}

// A watched page in a fresh browser context with the given locale and
// window height; who names it in the trouble list.
export async function openPage(browser, locale, height, who) {
	const context = await browser.newContext({
		locale,
		viewport: { width: 1280, height }
	});
	context.setDefaultTimeout(10000);
	const page = await context.newPage();
	watch(page, who);
	return page;
}

// One step of a path through the pages; every step is skipped, with the
// reason, when there is no instance to test.
export function step(name, fn) {
	return test(name, { skip }, fn);
}
