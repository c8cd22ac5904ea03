// A day in the life of an agent, in a real browser: from the queue to a
// ticket, a reply to the customer that also sets the status, a change of
// owner, and merging the ticket into another one.  Every page on the way
// is checked by axe-core and photographed (tests/output/browser-day-*).

import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	BASE, PASSWORD, RUN, skip, trouble, inspect, submit, launch, openPage,
	step
} from './lib.mjs';

const FIRST = `Drucker im Lager druckt nicht ${RUN}`;
const SECOND = `Lagerdrucker: zweite Meldung ${RUN}`;
const REPLY = `Wir haben den Treiber neu installiert. Bitte testen. ${RUN}`;

// Opens a ticket in Support through the form; returns its number.
async function openTicket(page, subject) {
	await page.goto(new URL('/tickets/new', BASE).href);
	await page.fill('#subject', subject);
	await page.selectOption('#channel', { label: 'Support' });
	await page.fill('#body', 'Gemeldet am Telefon.');
	await submit(page, 'main form button[type="submit"]',
	    'opening a ticket');
	await page.waitForURL((u) => /^\/tickets\/\d+$/.test(u.pathname));
	return Number(new URL(page.url()).pathname.split('/')[2]);
}

describe('a day in the life of an agent', () => {
	let browser;
	let page;
	const done = {};

	before(async () => {
		if (skip)
			return;
		browser = await launch();
		page = await openPage(browser, 'en-GB', 900, 'day');

		await page.goto(new URL('/signin', BASE).href);
		await page.fill('#login', 'admin');
		await page.fill('#password', PASSWORD);
		await submit(page, 'main form button[type="submit"]',
		    'signing in');
		done.first = await openTicket(page, FIRST);
		done.second = await openTicket(page, SECOND);
	});

	after(async () => {
		if (browser)
			await browser.close();
	});

	step('the queue leads to the ticket', async (t) => {
		await page.goto(new URL('/tickets/', BASE).href);
		const row = page.locator('table.queue tbody tr',
		    { hasText: FIRST });
		assert.equal(await row.count(), 1, 'the ticket is not listed');
		await inspect(t, page, 'day-queue', 'the queue');
		await row.locator('td.subject a').click();
		await page.waitForURL((u) =>
		    u.pathname === `/tickets/${done.first}`);
		done.onTicket = true;
	});

	step('a reply to the customer also sets the status', async (t) => {
		if (!done.onTicket)
			return t.skip('needs the queue step');
		await page.fill('#body', REPLY);
		await page.check('#vis-customer');
		await page.selectOption('#item-status', 'answered');
		await submit(page, 'section[aria-labelledby="note-heading"] ' +
		    'button[type="submit"]', 'replying');
		await page.waitForURL((u) =>
		    u.pathname === `/tickets/${done.first}`);

		const reply = page.locator('ol.items li.item.visible',
		    { hasText: REPLY });
		assert.equal(await reply.count(), 1,
		    'the reply is not in the history as customer-visible');
		const facts = await page.textContent('dl.facts');
		assert.ok(facts.includes('Answered'),
		    `the status is not Answered: ${facts}`);
		assert.ok(facts.includes('Customer'),
		    'the turn did not pass to the customer');
		await inspect(t, page, 'day-reply', 'the ticket after a reply');
		done.replied = true;
	});

	step('the owner changes, and the history says so', async (t) => {
		if (!done.replied)
			return t.skip('needs the reply step');
		await page.selectOption('#edit-owner', 'ksturm');
		await submit(page, 'section[aria-labelledby="edit-heading"] ' +
		    'button[type="submit"]', 'changing the owner');
		await page.waitForURL((u) =>
		    u.pathname === `/tickets/${done.first}`);
		const facts = await page.textContent('dl.facts');
		assert.ok(facts.includes('K. Sturm'),
		    `the owner is not K. Sturm: ${facts}`);
		assert.ok(await page.locator('ol.items',
		    { hasText: 'K. Sturm' }).count() > 0,
		    'the history does not record the new owner');
		await inspect(t, page, 'day-owner', 'the ticket after a change');
		done.owned = true;
	});

	step('merging leads to the other ticket with every item', async (t) => {
		if (!done.owned)
			return t.skip('needs the owner step');
		await page.click('details.tools summary');
		await page.fill('#merge-target', String(done.second));
		await submit(page, 'details.tools form button[type="submit"]',
		    'merging');
		await page.waitForURL((u) =>
		    u.pathname === `/tickets/${done.second}`);

		assert.equal(await page.locator('ol.items li.item',
		    { hasText: REPLY }).count(), 1,
		    'the reply did not move to the target exactly once');
		assert.ok(await page.locator('ol.items .event', {
			hasText: `Ticket #${done.first} was merged into ` +
			    'this one.'
		}).count() === 1, 'the target does not record the merge');
		await inspect(t, page, 'day-merged', 'the merged ticket');

		/* The old number still leads here. */
		await page.goto(new URL(`/tickets/${done.first}`, BASE).href);
		assert.equal(new URL(page.url()).pathname,
		    `/tickets/${done.second}`);
	});

	step('nothing misbehaved on the way', () => {
		assert.deepEqual(trouble, [], 'the pages misbehaved:\n' +
		    trouble.join('\n'));
	});
});
