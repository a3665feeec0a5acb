-- +goose Up
-- The key of the copy of a document's bytes that inspection read and
-- accepted. The upload policy names only object_key and stays valid for its
-- whole life, so the app could replace those bytes after acceptance;
-- downloads and previews are of inspected_key, which no policy names.
-- Documents accepted before this column existed have none: they are frozen
-- on their next download, if their bytes still match what was inspected.
ALTER TABLE documents ADD COLUMN inspected_key text UNIQUE;

-- +goose Down
ALTER TABLE documents DROP COLUMN inspected_key;
