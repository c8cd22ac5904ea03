// A web form in a real browser: the admin adds one through the
// administration, a visitor without any sign-in fills in the form
// Ticketwerk hosts and sees the thank-you page, and the ticket it raised
// shows in the queue with the message.  Every page passes axe-core and
// the same watch as the agent's test (console, CSP, requests, styles).

import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	BASE, PASSWORD, RUN, skip, trouble, inspect, submit, launch,
	openPage, step
} from './lib.mjs';

const FORM = `Kontakt ${RUN}`;
const SUBJECT = `Anfrage über das Formular ${RUN}`;
const MESSAGE = `Unser Drucker im 2. Stock streikt.\nBitte um Rückruf. ${RUN}`;

describe('a web form in Chromium', () => {
	let browser;
	let admin;
	const done = {};

	before(async () => {
		if (skip)
			return;
		browser = await launch();
		admin = await openPage(browser, 'en-GB', 900, 'admin');
	});

	after(async () => {
		if (browser)
			await browser.close();
	});

	step('the admin adds a web form', async (t) => {
		await admin.goto(new URL('/signin', BASE).href);
		await admin.fill('#login', 'admin');
		await admin.fill('#password', PASSWORD);
		await submit(admin, 'main form button[type="submit"]',
		    'signing in');
		await admin.waitForURL((u) => u.pathname !== '/signin');

		await admin.goto(new URL('/admin/', BASE).href);
		await admin.getByRole('link', { name: 'Web forms' }).click();
		await admin.waitForURL((u) => u.pathname === '/admin/forms/');
		await inspect(t, admin, 'admin-forms', 'the list of web forms');

		await admin.fill('#name', FORM);
		await admin.selectOption('#channel', { label: 'Support' });
		await submit(admin, 'main form button[type="submit"]',
		    'adding the web form');
		await admin.waitForURL((u) =>
		    /^\/admin\/forms\/\d+$/.test(u.pathname));
		assert.ok((await admin.textContent('main h1')).includes(FORM));
		await inspect(t, admin, 'admin-form', 'a web form\'s page');

		const link = admin.locator('#form-address ~ p a');
		done.address = new URL(await link.getAttribute('href'),
		    BASE).href;
		assert.match(new URL(done.address).pathname,
		    /^\/forms\/[0-9a-f]{32}$/);
	});

	step('a visitor fills in the hosted form and is thanked',
	    async (t) => {
		if (!done.address)
			return t.skip('needs the web form');
		const visitor = await openPage(browser, 'de-DE', 900,
		    'visitor');
		await visitor.goto(done.address);
		assert.equal(await visitor.getAttribute('html', 'lang'), 'de');
		assert.equal((await visitor.textContent('main h1')).trim(),
		    FORM);
		assert.equal(await visitor.isVisible('#website'), false,
		    'the honeypot field shows');
		await inspect(t, visitor, 'webform', 'the hosted form');

		await visitor.fill('#name', 'Anna Beispiel');
		await visitor.fill('#email', `anna.${RUN}@heyer-plan.example`);
		await visitor.fill('#subject', SUBJECT);
		await visitor.fill('#message', MESSAGE);
		await submit(visitor, 'main form button[type="submit"]',
		    'sending the form');
		await visitor.waitForURL((u) => u.pathname.endsWith('/thanks'));
		assert.equal((await visitor.textContent('main h1')).trim(),
		    'Vielen Dank');
		await inspect(t, visitor, 'webform-thanks',
		    'the thank-you page');
		assert.equal((await visitor.context().cookies()).length, 0,
		    'the form set a cookie');
		await visitor.context().close();
		done.sent = true;
	});

	step('the ticket shows in the queue with the message', async (t) => {
		if (!done.sent)
			return t.skip('needs the sent form');
		await admin.goto(new URL('/tickets/', BASE).href);
		const link = admin.locator('table.queue tbody tr td.subject a',
		    { hasText: SUBJECT });
		assert.equal(await link.count(), 1,
		    'the queue does not list the form\'s ticket once');
		await link.click();
		await admin.waitForURL((u) =>
		    /^\/tickets\/\d+$/.test(u.pathname));
		const item = admin.locator('ol.items li.item').first();
		assert.match(await item.locator('.kind').textContent(),
		    /Web form/);
		assert.equal((await item.locator('.item-body').textContent())
		    .trim(), MESSAGE);
		const facts = await admin.textContent('dl.facts');
		assert.ok(facts.includes('Anna Beispiel'),
		    'the ticket does not name the contact');
		await inspect(t, admin, 'webform-ticket',
		    'the ticket raised by the form');
	});

	step('no console errors, page errors, failed responses, CSP ' +
	    'violations or requests elsewhere', () => {
		assert.deepEqual(trouble, [], 'the pages misbehaved:\n' +
		    trouble.join('\n'));
	});
});
