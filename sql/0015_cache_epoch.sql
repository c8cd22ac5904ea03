-- One counter that tells each process whether its copy of the reference
-- data (agents, channels and their members, statuses, categories and
-- workflows) is current.  Triggers bump it on every change to those
-- tables, so no writer, program or hand-typed statement can forget to.
-- Each request reads it with the session; a copy loaded at another value
-- is loaded again.

CREATE TABLE cache_epoch (
	id		TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	n		BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO cache_epoch (id, n) VALUES (1, 1);

CREATE TRIGGER users_epoch_insert AFTER INSERT ON users
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER users_epoch_update AFTER UPDATE ON users
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER users_epoch_delete AFTER DELETE ON users
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;

CREATE TRIGGER channels_epoch_insert AFTER INSERT ON channels
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER channels_epoch_update AFTER UPDATE ON channels
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER channels_epoch_delete AFTER DELETE ON channels
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;

-- Rows that go with a deleted user or channel (ON DELETE CASCADE) fire
-- no trigger of their own; the parent's trigger has bumped the counter.
CREATE TRIGGER members_epoch_insert AFTER INSERT ON channel_members
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER members_epoch_update AFTER UPDATE ON channel_members
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER members_epoch_delete AFTER DELETE ON channel_members
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;

CREATE TRIGGER statuses_epoch_insert AFTER INSERT ON statuses
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER statuses_epoch_update AFTER UPDATE ON statuses
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER statuses_epoch_delete AFTER DELETE ON statuses
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;

CREATE TRIGGER categories_epoch_insert AFTER INSERT ON categories
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER categories_epoch_update AFTER UPDATE ON categories
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER categories_epoch_delete AFTER DELETE ON categories
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;

CREATE TRIGGER transitions_epoch_insert AFTER INSERT
    ON workflow_transitions
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER transitions_epoch_update AFTER UPDATE
    ON workflow_transitions
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
CREATE TRIGGER transitions_epoch_delete AFTER DELETE
    ON workflow_transitions
    FOR EACH ROW UPDATE cache_epoch SET n = n + 1 WHERE id = 1;
