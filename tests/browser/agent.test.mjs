// The agent's path through Ticketwerk in a real browser: sign in, see the
// queue, open a ticket, add a note, find the ticket again.  Debian's
// Chromium is driven by playwright-core; axe-core checks every page it
// visits for accessibility; the pages' console, errors and requests are
// watched throughout.  README.md beside this file says how to run it.

import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	BASE, PASSWORD, RUN, skip, trouble, watch, checkStyled, checkAxe,
	inspect, submit, launch, openPage, step
} from './lib.mjs';

// The umlaut and the tag show whether the pages keep text as text.
const SUBJECT = `Größe <b>fett</b> Drucker streikt ${RUN}`;
const NOTE = `Rückruf erledigt, Toner bestellt ${RUN}`;

describe('an agent in Chromium', () => {
	let browser;
	let page;
	const done = {};

	before(async () => {
		if (skip)
			return;
		browser = await launch();
		page = await openPage(browser, 'en-GB', 800, 'en');
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

	step('an item leads to its own move/copy page', async (t) => {
		if (!done.note)
			return t.skip('needs the note step');
		const item = page.locator('ol.items li', { hasText: NOTE });
		await item.getByRole('link', { name: 'Move or copy' }).click();
		await page.waitForURL((u) =>
		    /^\/tickets\/\d+\/items\/\d+\/move$/.test(u.pathname));
		assert.ok((await page.textContent('main .item-body'))
		    .includes(NOTE), 'the page shows another item');
		assert.equal(await page.locator('main form #target').count(), 1,
		    'the page has no target field');
		await inspect(t, page, 'item-move', 'the move/copy page');
		await page.locator('main h1 a').click();
		await page.waitForURL(done.ticketUrl);
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
