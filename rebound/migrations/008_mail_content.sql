-- What a finding's mail said, as a digest (sender, subject, text: rebound.mail.scan.content_hash). A later
-- mail with a Message-ID already recorded is judged by it: the same content is a duplicate (counted, not
-- proposed again); other content (an offer resent under a rejection's id) is proposed under the key
-- "<Message-ID>~<digest>". Rows recorded before this column have none: they count as the same content.
ALTER TABLE mail_findings ADD COLUMN content_hash VARCHAR;
