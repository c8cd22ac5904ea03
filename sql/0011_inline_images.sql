-- Inline images of mail: the Content-ID a part was sent with, so that the
-- cid: addresses in the mail's HTML can point at the stored file.

ALTER TABLE item_attachments ADD COLUMN content_id VARCHAR(255) NULL;
