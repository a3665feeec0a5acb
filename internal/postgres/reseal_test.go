package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
)

// TestSealedColumnsAreListed: every column of the schema that holds sealed
// values (named *_sealed) is one `anju pii reseal` goes through, and every
// sealed field has a column: a new one cannot be left out of a reseal.
func TestSealedColumnsAreListed(t *testing.T) {
	t.Parallel()
	db := open(t)
	rows, err := db.Pool().Query(context.Background(), `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name LIKE '%\_sealed' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var schema []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		schema = append(schema, name)
	}
	if err := rows.Err(); err != nil || len(schema) == 0 {
		t.Fatalf("no sealed columns found: %v", err)
	}
	var listed []string
	fields := map[talent.SealedField]bool{}
	for _, c := range postgres.SealedColumns {
		listed = append(listed, c.Name())
		fields[c.Field] = true
	}
	slices.Sort(listed)
	if !slices.Equal(schema, listed) {
		t.Errorf("sealed columns in the schema %v, in postgres.SealedColumns %v", schema, listed)
	}
	for _, f := range talent.SealedFields() {
		if !fields[f] {
			t.Errorf("sealed field %s has no column in postgres.SealedColumns", f)
		}
	}
}
