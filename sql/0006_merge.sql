-- Merging and splitting tickets.  A merged ticket keeps its number, which
-- leads to the ticket it was merged into; a split-off ticket remembers
-- where it came from.

ALTER TABLE tickets
	ADD COLUMN merged_into BIGINT UNSIGNED NULL AFTER version,
	ADD COLUMN split_from BIGINT UNSIGNED NULL AFTER merged_into,
	ADD CONSTRAINT tickets_merged_into_fk FOREIGN KEY (merged_into)
	    REFERENCES tickets (id),
	ADD CONSTRAINT tickets_split_from_fk FOREIGN KEY (split_from)
	    REFERENCES tickets (id);
