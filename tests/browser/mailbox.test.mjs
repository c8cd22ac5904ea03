// An administrator sets up an IMAP mailbox in a real browser: the list,
// a form sent with a mistake and shown again with what was typed, the
// mailbox's own page, switching it off and deleting it.  axe-core
// checks every page; the pages' console, errors and requests are
// watched.  No runner polls here: the mailbox stays switched off.

import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	BASE, PASSWORD, RUN, skip, trouble, inspect, submit, launch,
	openPage, step
} from './lib.mjs';

const NAME = `Postfach ${RUN}`;

describe('an administrator sets up a mailbox', () => {
	let browser;
	let page;
	const done = {};

	before(async () => {
		if (skip)
			return;
		browser = await launch();
		page = await openPage(browser, 'en-GB', 900, 'mailbox');
	});

	after(async () => {
		if (browser)
			await browser.close();
	});

	step('the administration leads to the mailboxes', async (t) => {
		await page.goto(new URL('/signin', BASE).href);
		await page.fill('#login', 'admin');
		await page.fill('#password', PASSWORD);
		await submit(page, 'main form button[type="submit"]',
		    'signing in');
		await page.goto(new URL('/admin/', BASE).href);
		await page.click('a[href="/admin/mailboxes/"]');
		await page.waitForURL((u) => u.pathname === '/admin/mailboxes/');
		assert.equal(await page.textContent('main h1'), 'Mailboxes');
		await inspect(t, page, 'mailboxes', 'the mailbox list');
		done.list = true;
	});

	step('a mistake comes back with the sentence and what was typed',
	    async (t) => {
		if (!done.list)
			return t.skip('needs the list');
		await page.fill('#name', NAME);
		await page.fill('#url', 'pop3://mail.example.com');
		await page.fill('#username', 'support');
		await page.fill('#password', ' secret with spaces ');
		await page.selectOption('#channel', { label: 'Support' });
		const posted = page.waitForResponse((r) =>
		    r.request().method() === 'POST');
		await page.click('main form button.primary');
		assert.equal((await posted).status(), 422);
		await page.waitForLoadState();
		assert.match(await page.textContent('main .alert'),
		    /The URL must start with imaps:\/\/ or imap:\/\/\./);
		assert.equal(await page.inputValue('#name'), NAME);
		assert.equal(await page.inputValue('#password'), '');
		await inspect(t, page, 'mailboxes-422',
		    'the mailbox list with a mistake');
		done.mistake = true;
	});

	step('the mailbox is added and shows its state', async (t) => {
		if (!done.mistake)
			return t.skip('needs the form');
		await page.fill('#url', 'imaps://imap.example.com/INBOX');
		await page.fill('#password', ' secret with spaces ');
		await page.uncheck('#enabled');
		await submit(page, 'main form button.primary',
		    'adding the mailbox');
		await page.waitForURL((u) =>
		    /^\/admin\/mailboxes\/\d+$/.test(u.pathname));
		assert.match(await page.textContent('main h1'), new RegExp(RUN));
		assert.match(await page.textContent('.facts'), /switched off/);
		assert.match(await page.textContent('#password-hint'),
		    /A password is stored/);
		assert.equal(await page.inputValue('#password'), '');
		assert.ok(!(await page.content()).includes('secret with spaces'),
		    'the page shows the password');
		await inspect(t, page, 'mailbox', 'a mailbox');
		done.added = true;
	});

	step('deleting it takes it off the list', async (t) => {
		if (!done.added)
			return t.skip('needs the mailbox');
		await submit(page, 'form[action$="/delete"] button',
		    'deleting the mailbox');
		await page.waitForURL((u) => u.pathname === '/admin/mailboxes/');
		assert.ok(!(await page.textContent('main')).includes(NAME),
		    'the deleted mailbox is still listed');
	});

	step('no console errors, page errors, failed responses, CSP ' +
	    'violations or requests elsewhere', () => {
		// The one 4xx this path asks for (the watcher sees the
		// response, Chromium's console says so too) is no trouble.
		const ours = /422.*\/admin\/mailboxes\/\)?$/;
		const rest = trouble.filter((x) => !ours.test(x));
		if (done.mistake)
			assert.ok(rest.length < trouble.length,
			    'the 422 went unnoticed');
		assert.deepEqual(rest, [], 'the pages misbehaved:\n' +
		    rest.join('\n'));
	});
});
