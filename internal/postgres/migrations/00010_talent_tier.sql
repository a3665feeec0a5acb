-- +goose Up
-- The recognised talent tier (人才分类认定, A–E) the talent office certified;
-- empty when none. It scores apartment applications and makes a lease rent-free.
ALTER TABLE profiles ADD COLUMN talent_tier text NOT NULL DEFAULT '' CHECK (talent_tier IN ('', 'A', 'B', 'C', 'D', 'E'));

-- +goose Down
ALTER TABLE profiles DROP COLUMN talent_tier;
