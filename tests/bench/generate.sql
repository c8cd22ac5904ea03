-- Fills the database for the benchmark: @target tickets (default one
-- million) with @items items each (default 5) over 10,000 organisations
-- and 200 agents, spread over the channels, statuses and the past year,
-- plus one ticket with 50 items for the ticket page.  Run it again with a
-- larger @target to add tickets; organisations and agents are made once.
--
-- The SEQUENCE engine's seq_A_to_B tables generate the rows; a procedure
-- inserts them in chunks of 100,000 tickets so no transaction grows
-- large.  The FULLTEXT indexes are dropped while rows go in and built
-- again at the end: building one over the finished table is many times
-- faster than keeping it up to date row by row.

SET @target = COALESCE(@target, 1000000);
SET @items = LEAST(GREATEST(COALESCE(@items, 5), 1), 50);
SET SESSION foreign_key_checks = 0, unique_checks = 0;

INSERT INTO organisations (name, customer_number, mail_domain)
SELECT CONCAT('Bench Customer ', seq), CONCAT('B-', seq),
    CONCAT('customer', seq, '.example')
FROM seq_1_to_10000
WHERE NOT EXISTS (SELECT 1 FROM organisations WHERE customer_number = 'B-1');

-- Agents sign in with the admin's password.
INSERT INTO users (login, name, password_hash)
SELECT CONCAT('bench', seq), CONCAT('Bench Agent ', seq),
    (SELECT password_hash FROM users WHERE login = 'admin')
FROM seq_1_to_200
WHERE NOT EXISTS (SELECT 1 FROM users WHERE login = 'bench1');

SET @channels = (SELECT COUNT(*) FROM channels);
SET @minch = (SELECT MIN(id) FROM channels);
SET @minst = (SELECT MIN(id) FROM statuses);
SET @minorg = (SELECT MIN(id) FROM organisations WHERE customer_number = 'B-1');
SET @minagent = (SELECT id FROM users WHERE login = 'bench1');
SET @admin = (SELECT id FROM users WHERE login = 'admin');

-- Each agent handles one channel and reads along in the next.
INSERT IGNORE INTO channel_members (channel_id, user_id, role)
SELECT @minch + (u.id - @minagent) % @channels, u.id, 'handles'
FROM users u WHERE u.login LIKE 'bench%'
UNION ALL
SELECT @minch + (u.id - @minagent + 1) % @channels, u.id, 'reads'
FROM users u WHERE u.login LIKE 'bench%' AND @channels > 1;

-- Only a run that adds rows takes the FULLTEXT indexes down.
SET @need = GREATEST(@target - (SELECT COUNT(*) FROM tickets), 0);
SET @sql = IF(@need > 0,
    'ALTER TABLE tickets DROP INDEX IF EXISTS tickets_subject_ft', 'DO 0');
PREPARE drop_ft FROM @sql;
EXECUTE drop_ft;
SET @sql = IF(@need > 0,
    'ALTER TABLE items DROP INDEX IF EXISTS items_body_ft', 'DO 0');
PREPARE drop_ft FROM @sql;
EXECUTE drop_ft;
DEALLOCATE PREPARE drop_ft;

DELIMITER ;;
CREATE OR REPLACE PROCEDURE bench_fill(need INT, base BIGINT,
    per INT)
BEGIN
	DECLARE done INT DEFAULT 0;
	DECLARE lo, hi BIGINT;

	WHILE done < need DO
		-- One ticket every 30 seconds, the newest now.
		INSERT INTO tickets (number, type, subject, channel_id,
		    status_id, priority, organisation_id, owner_id,
		    assignee_id, created_by, created_at, updated_at)
		SELECT base + done + seq,
		    ELT(1 + seq % 3, 'email', 'on_behalf', 'internal'),
		    CONCAT(ELT(1 + seq % 12, 'Printer', 'VPN', 'Mailbox',
		    'Invoice', 'Login', 'Backup', 'Laptop', 'Network',
		    'Licence', 'Phone', 'Server', 'Scanner'), ' ',
		    ELT(1 + (seq DIV 12) % 10, 'fails', 'slow', 'broken',
		    'question', 'request', 'error', 'offline', 'update',
		    'reset', 'missing'), ' at site ', (done + seq) % 5000),
		    @minch + (done + seq) % @channels,
		    @minst + ((done + seq) DIV 7) % 4,
		    1 + ((done + seq) DIV 3) % 9,
		    @minorg + (done + seq) % 10000,
		    @minagent + (done + seq) % 200,
		    IF(seq % 3 = 0, NULL, @minagent + ((done + seq) DIV 5) % 200),
		    @admin,
		    UTC_TIMESTAMP(6) - INTERVAL (need - done - seq) * 30 SECOND,
		    UTC_TIMESTAMP(6) - INTERVAL (need - done - seq) * 30 SECOND +
		    INTERVAL LEAST((need - done - seq) * 30, seq % 86400) SECOND
		FROM seq_1_to_100000
		WHERE seq <= need - done;

		SET lo = (SELECT id FROM tickets WHERE number = base + done + 1);
		SET hi = (SELECT MAX(id) FROM tickets);
		INSERT INTO items (ticket_id, kind, visibility, author_id,
		    body, created_at)
		SELECT t.id, ELT(1 + s.seq % 4, 'email_in', 'email_out',
		    'note', 'call'),
		    IF(s.seq % 2 = 0, 'customer', 'internal'), t.owner_id,
		    CONCAT(ELT(1 + (t.id + s.seq) % 4, 'Hello,', 'Dear team,',
		    'Good morning,', 'Hi,'), ' the ',
		    ELT(1 + (t.id * 7 + s.seq) % 10, 'printer', 'toner',
		    'tunnel', 'mailbox', 'invoice', 'password', 'backup',
		    'monitor', 'licence', 'scanner'), ' ',
		    ELT(1 + (t.id + s.seq * 3) % 6, 'stopped working',
		    'needs a replacement', 'shows an error', 'is slow again',
		    'was fixed', 'was replaced'), ' since ',
		    ELT(1 + (t.id + s.seq) % 5, 'Monday', 'Tuesday',
		    'Wednesday', 'Thursday', 'Friday'),
		    '. Reference ref', (t.id * 5 + s.seq) % 200000,
		    '. Kind regards'),
		    t.created_at + INTERVAL s.seq HOUR
		FROM tickets t JOIN seq_0_to_49 s ON s.seq < per
		WHERE t.id BETWEEN lo AND hi;

		SET done = done + LEAST(100000, need - done);
	END WHILE;
END;;
DELIMITER ;

SET @base = (SELECT COALESCE(MAX(number), 1000) FROM tickets);
CALL bench_fill(@need, @base, @items);
DROP PROCEDURE bench_fill;

-- The ticket page is measured on the newest ticket, given 50 items.
SET @long = (SELECT MAX(id) FROM tickets);
SET @have = (SELECT COUNT(*) FROM items WHERE ticket_id = @long);
INSERT INTO items (ticket_id, kind, visibility, author_id, body, created_at)
SELECT @long, 'note', 'internal', @admin,
    CONCAT('Follow-up note ', seq, ' on the long ticket.'),
    UTC_TIMESTAMP(6) - INTERVAL 50 - seq MINUTE
FROM seq_1_to_50
WHERE seq <= 50 - @have;

-- XXX: on a million rows MariaDB 10.11 has been seen to build the first
-- FULLTEXT index after the bulk insert empty, without an error; built
-- again it is complete.  So each is checked with a word it must find,
-- and built (again) when it is missing or finds nothing.
DELIMITER ;;
CREATE OR REPLACE PROCEDURE bench_fulltext()
BEGIN
	DECLARE tries INT DEFAULT 0;
	DECLARE ok INT DEFAULT 0;

	WHILE NOT ok AND tries < 3 DO
		IF EXISTS (SELECT 1 FROM information_schema.statistics
		    WHERE table_schema = DATABASE() AND table_name = 'tickets'
		    AND index_name = 'tickets_subject_ft') THEN
			SET ok = EXISTS (SELECT 1 FROM tickets WHERE
			    MATCH (subject) AGAINST ('+site' IN BOOLEAN MODE));
		END IF;
		IF NOT ok THEN
			ALTER TABLE tickets DROP INDEX IF EXISTS
			    tickets_subject_ft;
			ALTER TABLE tickets ADD FULLTEXT KEY
			    tickets_subject_ft (subject);
		END IF;
		SET tries = tries + 1;
	END WHILE;

	SET tries = 0, ok = 0;
	WHILE NOT ok AND tries < 3 DO
		IF EXISTS (SELECT 1 FROM information_schema.statistics
		    WHERE table_schema = DATABASE() AND table_name = 'items'
		    AND index_name = 'items_body_ft') THEN
			SET ok = EXISTS (SELECT 1 FROM items WHERE
			    MATCH (body) AGAINST ('+follow' IN BOOLEAN MODE));
		END IF;
		IF NOT ok THEN
			ALTER TABLE items DROP INDEX IF EXISTS items_body_ft;
			ALTER TABLE items ADD FULLTEXT KEY items_body_ft (body);
		END IF;
		SET tries = tries + 1;
	END WHILE;
END;;
DELIMITER ;
CALL bench_fulltext();
DROP PROCEDURE bench_fulltext;

SET @next = (SELECT MAX(number) + 1 FROM tickets);
SET @sql = CONCAT('ALTER SEQUENCE ticket_numbers RESTART WITH ', @next);
PREPARE restart FROM @sql;
EXECUTE restart;
DEALLOCATE PREPARE restart;
ANALYZE TABLE tickets, items, channel_members, organisations, users;
