-- Large payloads: an argument or a result's value past the inline threshold lives in the control plane's blob
-- store, named by the SHA-256 of its content. A call names its blobs, so that a restart can rebuild its payloads and
-- the blob store knows which blobs the state store still needs (blobsInUse). The codec that encoded the argument is
-- kept too: recovery no longer assumes it. Rows from before this migration hold inline arguments of codec 1.

ALTER TABLE shoal_call ADD COLUMN args_codec integer NOT NULL DEFAULT 1;
ALTER TABLE shoal_call ADD COLUMN args_blob text;
ALTER TABLE shoal_call ADD COLUMN result_blob text;

-- A blob is named only where there is one, and forgotten with the payloads when the call expires.
ALTER TABLE shoal_call ADD CHECK (NOT expired OR (args_blob IS NULL AND result_blob IS NULL));

-- blobsInUse(): the few calls with blobs among however many the table keeps, without reading the others.
CREATE INDEX shoal_call_args_blob ON shoal_call (args_blob) WHERE args_blob IS NOT NULL AND state = 'PENDING';
CREATE INDEX shoal_call_result_blob ON shoal_call (result_blob) WHERE result_blob IS NOT NULL AND NOT expired;
