-- +goose Up
-- An application's place in its round's draw (1 first), written by the
-- draw beside the status it gives, so that staff can list a round in the
-- draw's order without reading the published record. NULL before the draw
-- and for applications outside its pool. Rounds drawn before this column
-- existed get theirs from their record.
ALTER TABLE applications ADD COLUMN draw_rank int CHECK (draw_rank > 0);
UPDATE applications a SET draw_rank = (x ->> 'rank')::int
    FROM rounds r, jsonb_array_elements(r.record -> 'result') AS x
    WHERE r.record IS NOT NULL AND a.round_id = r.id AND a.id = (x ->> 'applicationId')::uuid;

-- +goose Down
ALTER TABLE applications DROP COLUMN draw_rank;
