package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/pii"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
)

// TestProfileSealedValueMovedToAnotherPerson: a national ID number and a
// bank account number copied, ciphertext and all, from one graduate's row
// into another's with SQL (what a stray script, a bad restore or someone
// with write access to the database could do) do not read as the second
// graduate's: their profile fails closed with a bare 500, the log says why
// without the value, and the first graduate's profile still reads.
func TestProfileSealedValueMovedToAnotherPerson(t *testing.T) {
	t.Parallel()
	in := boot(t)
	ctx := context.Background()
	aliceID, bobID := testenv.NationalID(1), testenv.NationalID(2)
	const aliceAccount, bobAccount = "6217856100012345678", "6222021234567890123"
	alice, aliceUID := in.graduate(t, map[string]any{"name": "李明", "nationalId": aliceID,
		"bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": aliceAccount}})
	bob, bobUID := in.graduate(t, map[string]any{"name": "王芳", "nationalId": bobID,
		"bankAccount": map[string]any{"bankName": "工商银行", "accountNumber": bobAccount}})
	aliceUser, bobUser := in.dbUserID(t, aliceUID), in.dbUserID(t, bobUID)

	// GET /v1/me caches the profile as stored: the copy is made before
	// Bob's first read, so that his read finds it.
	for _, col := range []string{"national_id_sealed", "bank_account_sealed"} {
		tag, err := in.DB.Pool().Exec(ctx, `UPDATE profiles SET `+col+` = (SELECT `+col+` FROM profiles WHERE user_id = $1) WHERE user_id = $2`,
			aliceUser, bobUser)
		if err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("copying %s: %v", col, err)
		}
	}

	r := in.call(t, "GET", "/v1/me", bob, nil)
	if p := r.problem(t); r.Status != 500 || p.Code != "internal" {
		t.Fatalf("bob's profile with alice's sealed values: %d %s", r.Status, r.Body)
	}
	for _, secret := range []string{aliceID, aliceAccount, aliceAccount[len(aliceAccount)-4:], talent.MaskNationalID(aliceID)} {
		if strings.Contains(string(r.Body), secret) {
			t.Fatalf("the answer shows %q: %s", secret, r.Body)
		}
	}

	var me struct {
		Profile struct {
			NationalID  string `json:"nationalId"`
			BankAccount struct{ AccountNumber string }
		}
	}
	in.call(t, "GET", "/v1/me", alice, nil).json(t, &me)
	if me.Profile.NationalID != talent.MaskNationalID(aliceID) || me.Profile.BankAccount.AccountNumber != talent.MaskBankAccount(aliceAccount) {
		t.Fatalf("alice's own profile: %+v", me.Profile)
	}

	// The error is logged before the answer is written.
	logs := in.Logs.String()
	var line string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, `"request failed"`) && strings.Contains(l, "failed authentication") {
			line = l
		}
	}
	if !strings.Contains(line, string(talent.SealedProfileBankAccount)) || !strings.Contains(line, bobUser) {
		t.Errorf("the log line does not say which value of which row failed: %s", line)
	}
	for _, secret := range []string{aliceID, bobID, aliceAccount, bobAccount} {
		if strings.Contains(logs, secret) {
			t.Fatalf("logs contain personal data %q", secret)
		}
	}
}

// TestPIIReseal: values sealed in the v1 format, bound to no field or row,
// as databases deployed before the binding hold them, are refused where
// bound values are required (development, here), until `anju pii reseal`
// rewrites them bound to their place; a legacy value copied from another
// person's row is not laundered but reported and left as it was; a second
// run finds nothing to do.
func TestPIIReseal(t *testing.T) {
	t.Parallel()
	// Alice's profile is read while it cannot be opened, then again after
	// the reseal: the API must not keep the first read.
	in := boot(t, withEnv("ANJU_USER_CACHE_TTL", "1ms"))
	ctx := context.Background()
	cfg, err := loadConfig(func(k string) string { return in.Env[k] })
	if err != nil {
		t.Fatal(err)
	}
	ring, err := pii.NewKeyring(cfg.PIIKeys, cfg.PIIIndexKey)
	if err != nil {
		t.Fatal(err)
	}
	v1 := func(plaintext string) string { return testenv.SealV1(t, cfg.PIIKeys[0], plaintext) }
	exec := func(sql string, args ...any) {
		t.Helper()
		if tag, err := in.DB.Pool().Exec(ctx, sql, args...); err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("%s: %d rows, %v", sql, tag.RowsAffected(), err)
		}
	}

	aliceID, bobID := testenv.NationalID(11), testenv.NationalID(12)
	const aliceAccount = "6217856100012345678"
	alice, aliceUID := in.graduate(t, map[string]any{"name": "李明", "nationalId": aliceID,
		"bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": aliceAccount}})
	bob, bobUID := in.graduate(t, map[string]any{"name": "王芳", "nationalId": bobID})
	aliceUser, bobUser := in.dbUserID(t, aliceUID), in.dbUserID(t, bobUID)
	exec(`UPDATE profiles SET phone_sealed = $2, national_id_sealed = $3, bank_account_sealed = $4 WHERE user_id = $1`,
		aliceUser, v1(testPhone), v1(aliceID), v1(aliceAccount))
	// Bob's row holds a legacy copy of Alice's number: it would open
	// anywhere, but it is not what Bob's blind index was computed from.
	exec(`UPDATE profiles SET national_id_sealed = $2 WHERE user_id = $1`, bobUser, v1(aliceID))
	round, seed := talent.NewID(), hex.EncodeToString(bytes.Repeat([]byte{7}, 32))
	exec(`INSERT INTO rounds (id, name, opens_at, closes_at, policy_version, status, commitment, seed_sealed, created_by, created_at)
		VALUES ($1, 'r', now(), now() + interval '1 day', 1, 'open', 'c', $2, $3, now())`, round, v1(seed), aliceUser)

	if r := in.call(t, "GET", "/v1/me", alice, nil); r.Status != 500 {
		t.Fatalf("legacy values opened although bound ones are required: %d %s", r.Status, r.Body)
	}

	var out bytes.Buffer
	err = run(ctx, []string{"pii", "reseal", "--batch", "1"}, func(k string) string { return in.Env[k] }, &out)
	if err == nil || !strings.Contains(err.Error(), "1 sealed values could not be resealed") {
		t.Fatalf("reseal with a value copied from another row: %v\n%s", err, out.String())
	}
	report := out.String()
	t.Log(report)
	for _, want := range []string{
		"profiles.phone_sealed", "profiles.national_id_sealed", "profiles.bank_account_sealed", "batch_lines.bank_account_sealed",
		"rounds.seed_sealed", "employer_registrations.contact_phone_sealed", "blind index", "user_id=" + bobUser,
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	counts := map[string]string{}
	for _, l := range strings.Split(report, "\n") {
		if f := strings.Fields(l); len(f) == 4 && strings.Contains(f[0], ".") {
			counts[f[0]] = f[2] + "/" + f[3]
		}
	}
	for col, want := range map[string]string{"profiles.phone_sealed": "1/0", "profiles.national_id_sealed": "1/1",
		"profiles.bank_account_sealed": "1/0", "rounds.seed_sealed": "1/0", "batch_lines.bank_account_sealed": "0/0"} {
		if counts[col] != want {
			t.Errorf("%s resealed/failed = %q, want %s\n%s", col, counts[col], want, report)
		}
	}
	for _, secret := range []string{aliceID, aliceAccount, testPhone, seed} {
		if strings.Contains(report, secret) {
			t.Fatalf("the report shows %q", secret)
		}
	}

	// Alice's values are bound to her row now, and read again.
	var phone, number, account, sealedSeed, bobNumber string
	if err := in.DB.Pool().QueryRow(ctx, `SELECT phone_sealed, national_id_sealed, bank_account_sealed,
		(SELECT seed_sealed FROM rounds WHERE id = $2), (SELECT national_id_sealed FROM profiles WHERE user_id = $3)
		FROM profiles WHERE user_id = $1`, aliceUser, round, bobUser).Scan(&phone, &number, &account, &sealedSeed, &bobNumber); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		f          talent.SealedField
		row, value string
		want       string
	}{
		{talent.SealedProfilePhone, aliceUser, phone, testPhone},
		{talent.SealedProfileNationalID, aliceUser, number, aliceID},
		{talent.SealedProfileBankAccount, aliceUser, account, aliceAccount},
		{talent.SealedRoundSeed, round, sealedSeed, seed},
	} {
		if got, err := ring.Open(c.f, c.row, c.value); err != nil || got != c.want || !strings.HasPrefix(c.value, ring.Current()) {
			t.Errorf("%s after the reseal: %q (%v)", c.f, c.value, err)
		}
	}
	if !strings.HasPrefix(bobNumber, "v1.") {
		t.Errorf("bob's copied value was rewritten: %q", bobNumber)
	}
	var me struct {
		Profile struct {
			NationalID  string `json:"nationalId"`
			Phone       string
			BankAccount struct{ AccountNumber string }
		}
	}
	in.call(t, "GET", "/v1/me", alice, nil).json(t, &me)
	if me.Profile.NationalID != talent.MaskNationalID(aliceID) || me.Profile.Phone != talent.MaskPhone(testPhone) ||
		me.Profile.BankAccount.AccountNumber != talent.MaskBankAccount(aliceAccount) {
		t.Fatalf("alice's profile after the reseal: %+v", me.Profile)
	}

	// Bob gives his number again, as the app asks when it cannot be read;
	// the next run has nothing left to do.
	if r := in.call(t, "PUT", "/v1/me", bob, map[string]any{"name": "王芳", "nationalId": bobID}); r.Status != 200 {
		t.Fatalf("bob re-entering his number: %d %s", r.Status, r.Body)
	}
	out.Reset()
	if err := run(ctx, []string{"pii", "reseal"}, func(k string) string { return in.Env[k] }, &out); err != nil {
		t.Fatalf("second run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "resealed 0 values") {
		t.Fatalf("second run:\n%s", out.String())
	}
}

// dbUserID is the Anju user id of a Firebase uid, read from the database
// (GET /v1/me would cache the profile).
func (in *instance) dbUserID(t *testing.T, uid string) string {
	t.Helper()
	var id string
	if err := in.DB.Pool().QueryRow(context.Background(), `SELECT id FROM users WHERE firebase_uid = $1`, uid).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
