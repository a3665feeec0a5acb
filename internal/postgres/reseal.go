package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
)

// SealedColumn is a column that holds sealed personal data: where it is,
// the field its values are bound to, and how to reach the row that owns
// each value (whose id the value is bound to).
type SealedColumn struct {
	Table, Column string
	Field         talent.SealedField
	// keys are the table's primary key columns (uuids), the order a
	// reseal goes through its rows in.
	keys []string
	// join reaches the owning row from another table; row is the SQL of
	// its id, over t (the table) and what join names.
	join, row string
	// index is the SQL of the row's blind index of the plaintext; "" when
	// the table keeps none.
	index string
}

// Name is "table.column".
func (c SealedColumn) Name() string { return c.Table + "." + c.Column }

// SealedColumns is every column of sealed data, in the order `anju pii
// reseal` goes through them. A new sealed column gets its line here
// (TestSealedColumnsAreListed fails otherwise).
var SealedColumns = []SealedColumn{
	{Table: "profiles", Column: "phone_sealed", Field: talent.SealedProfilePhone, keys: []string{"user_id"}, row: "t.user_id"},
	{Table: "profiles", Column: "national_id_sealed", Field: talent.SealedProfileNationalID, keys: []string{"user_id"}, row: "t.user_id",
		index: "t.national_id_index"},
	{Table: "profiles", Column: "bank_account_sealed", Field: talent.SealedProfileBankAccount, keys: []string{"user_id"}, row: "t.user_id"},
	// A batch line's account is the payee's profile's sealed value as it
	// was when the batch was made, bound to the payee.
	{Table: "batch_lines", Column: "bank_account_sealed", Field: talent.SealedProfileBankAccount, keys: []string{"batch_id", "payment_id"},
		join: "JOIN payments p ON p.id = t.payment_id", row: "p.user_id"},
	{Table: "filed_hires", Column: "national_id_sealed", Field: talent.SealedHireNationalID, keys: []string{"id"}, row: "t.id",
		index: "t.national_id_index"},
	{Table: "filed_hires", Column: "phone_sealed", Field: talent.SealedHirePhone, keys: []string{"id"}, row: "t.id"},
	{Table: "invitations", Column: "code_sealed", Field: talent.SealedInvitationCode, keys: []string{"id"}, row: "t.id"},
	{Table: "invitations", Column: "contact_sealed", Field: talent.SealedInvitationContact, keys: []string{"id"}, row: "t.id"},
	{Table: "employer_nominations", Column: "contact_sealed", Field: talent.SealedNominationContact, keys: []string{"id"}, row: "t.id"},
	{Table: "employer_registrations", Column: "contact_phone_sealed", Field: talent.SealedRegistrationPhone, keys: []string{"id"}, row: "t.id"},
	{Table: "rounds", Column: "seed_sealed", Field: talent.SealedRoundSeed, keys: []string{"id"}, row: "t.id"},
}

// ResealFailure is a stored value that could not be rebound: its row (by
// primary key) and why. It never holds the value.
type ResealFailure struct {
	Key string // e.g. "id=0190…" or "batch_id=…, payment_id=…"
	Err error
}

// Resealed is what Reseal did to one column.
type Resealed struct {
	Column   SealedColumn
	Resealed int
	Failed   []ResealFailure
}

// Rebinder turns one stored value into the value to store in its place.
// row is the id of the row the value is bound to; index is that row's
// blind index of the plaintext ("" when the column has none), for a check.
type Rebinder func(row, sealed, index string) (string, error)

// Reseal rewrites every non-empty value of c that does not start with
// current (values sealed as now), batch rows per transaction in primary
// key order. The rows of a batch stay locked until it commits, so that
// the application's writes to them wait instead of being overwritten. A
// value rebind refuses is left as it is and reported, and the run goes on.
// Interrupted, it is run again: it picks up whatever is not current yet
// (a column already done costs one pass over its table and changes
// nothing).
func (db *DB) Reseal(ctx context.Context, c SealedColumn, current string, batch int, rebind Rebinder) (Resealed, error) {
	out := Resealed{Column: c}
	if batch < 1 {
		return out, fmt.Errorf("reseal: batch must be at least 1, got %d", batch)
	}
	n := len(c.keys)
	keys, sel, after, match := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, k := range c.keys {
		keys[i], sel[i] = "t."+k, "t."+k+"::text"
		after[i] = fmt.Sprintf("$%d::uuid", i+2)
		match[i] = fmt.Sprintf("%s = $%d::uuid", k, i+2)
	}
	index := "''"
	if c.index != "" {
		index = "coalesce(" + c.index + ", '')"
	}
	col := "t." + c.Column
	query := `SELECT ` + strings.Join(sel, ", ") + `, (` + c.row + `)::text, ` + col + `, ` + index + `
		FROM ` + c.Table + ` t ` + c.join + `
		WHERE (` + strings.Join(keys, ", ") + `) > (` + strings.Join(after, ", ") + `)
		  AND ` + col + ` <> '' AND NOT starts_with(` + col + `, $1)
		ORDER BY ` + strings.Join(keys, ", ") + ` LIMIT ` + strconv.Itoa(batch) + ` FOR UPDATE OF t`
	update := `UPDATE ` + c.Table + ` SET ` + c.Column + ` = $1 WHERE ` + strings.Join(match, " AND ")

	// The nil UUID sorts first and is no row's id.
	last := make([]any, n)
	for i := range last {
		last[i] = "00000000-0000-0000-0000-000000000000"
	}
	for {
		got := 0
		err := db.tx(ctx, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, query, append([]any{current}, last...)...)
			if err != nil {
				return err
			}
			type stored struct {
				key                []any
				row, sealed, index string
			}
			var values []stored
			for rows.Next() {
				s := stored{key: make([]any, n)}
				dest := make([]any, 0, n+3)
				for i := range s.key {
					dest = append(dest, &s.key[i])
				}
				if err := rows.Scan(append(dest, &s.row, &s.sealed, &s.index)...); err != nil {
					rows.Close()
					return err
				}
				values = append(values, s)
			}
			if err := rows.Err(); err != nil {
				return err
			}
			var p pipeline
			for _, s := range values {
				fresh, err := rebind(s.row, s.sealed, s.index)
				if err != nil {
					out.Failed = append(out.Failed, ResealFailure{Key: describeKey(c.keys, s.key), Err: err})
					continue
				}
				_, _ = p.Exec(ctx, update, append([]any{fresh}, s.key...)...)
				out.Resealed++
			}
			if got = len(values); got > 0 {
				last = values[got-1].key
			}
			return p.send(ctx, tx)
		})
		if err != nil {
			return out, fmt.Errorf("reseal %s: %w", c.Name(), err)
		}
		if got < batch {
			return out, nil
		}
	}
}

func describeKey(names []string, values []any) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s=%v", n, values[i])
	}
	return strings.Join(parts, ", ")
}
