-- Fills the database up to @target tickets (with one item each), spread
-- over the channels, statuses, organisations and the past year, so the
-- queue is measured over a realistic table rather than a handful of rows.
-- The SEQUENCE engine's seq_1_to_N tables generate the rows.

SET @have = (SELECT COUNT(*) FROM tickets);
SET @need = GREATEST(@target - @have, 0);
SET @base = (SELECT COALESCE(MAX(number), 0) FROM tickets) + 1;

INSERT INTO organisations (name, customer_number)
SELECT CONCAT('Bench Customer ', seq), CONCAT('B-', seq)
FROM seq_1_to_200
WHERE NOT EXISTS (SELECT 1 FROM organisations WHERE customer_number = 'B-1');

SET @orgs = (SELECT MIN(id) FROM organisations WHERE customer_number LIKE 'B-%');
SET @admin = (SELECT id FROM users WHERE login = 'admin');
SET @channels = (SELECT COUNT(*) FROM channels);
SET @minch = (SELECT MIN(id) FROM channels);
SET @minst = (SELECT MIN(id) FROM statuses);

SET @sql = CONCAT(
    'INSERT INTO tickets (number, type, subject, channel_id, status_id, ',
    'priority, organisation_id, owner_id, created_by, created_at, ',
    'updated_at) SELECT @base + seq, ''email'', ',
    'CONCAT(''Bench ticket '', seq, '': printer, VPN or mail trouble''), ',
    '@minch + seq % @channels, @minst + seq % 4, 1 + seq % 9, ',
    '@orgs + seq % 200, @admin, @admin, ',
    'UTC_TIMESTAMP(6) - INTERVAL (@need - seq) * 300 SECOND, ',
    'UTC_TIMESTAMP(6) - INTERVAL (@need - seq) * 300 SECOND ',
    'FROM seq_1_to_', @need, ' WHERE @need > 0');
PREPARE fill FROM @sql;
EXECUTE fill;
DEALLOCATE PREPARE fill;

INSERT INTO items (ticket_id, kind, visibility, author_id, body, created_at)
SELECT t.id, 'email_in', 'customer', @admin,
    'Generated item text for the benchmark.', t.created_at
FROM tickets t LEFT JOIN items i ON i.ticket_id = t.id
WHERE i.id IS NULL;

SET @next = (SELECT MAX(number) + 1 FROM tickets);
SET @sql = CONCAT('ALTER SEQUENCE ticket_numbers RESTART WITH ', @next);
PREPARE restart FROM @sql;
EXECUTE restart;
DEALLOCATE PREPARE restart;
ANALYZE TABLE tickets, items, channel_members;
