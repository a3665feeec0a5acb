package allowance_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/pii"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/testenv"
)

// A batch line's account number is its payee's profile's sealed value,
// copied when the batch was made: it opens for that payee, even after the
// payee changed accounts, and not on another payee's line. A legacy v1
// copy is refused until `anju pii reseal` binds it to the line's payee.
func TestBatchLineAccountBoundToPayee(t *testing.T) {
	t.Parallel()
	f := setupFinance(t)
	ctx := context.Background()
	f.due(t, 2, 1500000)
	b := f.approved(t)
	f.setAccount(t, secondAccount)
	_, file, err := f.svc.ExportBatch(ctx, f.checker, b.ID, "csv", render)
	if err != nil || strings.Count(string(file), firstAccount) != 2 {
		t.Fatalf("export of the snapshot: %s %v", file, err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if tag, err := f.db.Pool().Exec(ctx, sql, args...); err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("%s: %v", sql, err)
		}
	}

	// The first payee's account moved onto the second payee's line.
	exec(`UPDATE batch_lines SET bank_account_sealed = (SELECT bank_account_sealed FROM batch_lines WHERE batch_id = $1 AND seq = 1)
		WHERE batch_id = $1 AND seq = 2`, b.ID)
	if _, out, err := f.svc.ExportBatch(ctx, f.checker, b.ID, "csv", render); !errors.Is(err, pii.ErrAuthentication) || out != nil {
		t.Fatalf("export with an account moved to another payee's line: %v\n%s", err, out)
	}
	if _, _, _, err := f.svc.BatchLines(ctx, f.checker, b.ID); !errors.Is(err, pii.ErrAuthentication) {
		t.Fatalf("the batch's lines with an account moved to another payee's line: %v", err)
	}

	// The line as a database from before the binding holds it.
	exec(`UPDATE batch_lines SET bank_account_sealed = $2 WHERE batch_id = $1 AND seq = 2`, b.ID, testenv.SealV1(t, testenv.VaultKey, firstAccount))
	if _, _, err := f.svc.ExportBatch(ctx, f.checker, b.ID, "csv", render); !errors.Is(err, pii.ErrLegacy) {
		t.Fatalf("export with a legacy value where bound ones are required: %v", err)
	}
	var lines postgres.SealedColumn
	for _, c := range postgres.SealedColumns {
		if c.Table == "batch_lines" {
			lines = c
		}
	}
	vault := testenv.Vault(t)
	res, err := f.db.Reseal(ctx, lines, vault.Current(), 1, func(row, sealed, _ string) (string, error) {
		return vault.Rebind(lines.Field, row, sealed, nil)
	})
	if err != nil || res.Resealed != 1 || len(res.Failed) != 0 {
		t.Fatalf("reseal of the batch lines: %+v %v", res, err)
	}
	if _, again, err := f.svc.ExportBatch(ctx, f.checker, b.ID, "csv", render); err != nil || string(again) != string(file) {
		t.Fatalf("export after the reseal differs: %v\n%s\n%s", err, file, again)
	}
}
