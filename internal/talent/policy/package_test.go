package policy

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

func TestDefaultPackages(t *testing.T) {
	t.Parallel()
	pkgs, err := DefaultPackages()
	if err != nil {
		t.Fatal(err)
	}
	var ids []ID
	for _, p := range pkgs {
		ids = append(ids, p.ID)
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
		if p.Version != 1 || !p.EffectiveFrom.Equal(d(2026, 1, 1)) || !p.EffectiveTo.IsZero() {
			t.Errorf("%s: version %d from %s to %s, want v1 from 2026-01-01, open-ended", p.ID, p.Version, fmtDate(p.EffectiveFrom), fmtDate(p.EffectiveTo))
		}
		for _, q := range p.Parameters {
			if q.Clause == "" {
				t.Errorf("%s: parameter %s cites no clause", p.ID, q.Name)
			}
		}
		if !slices.Contains(p.Documents.Required, talent.DocRentalContract) != (p.ID != Rent) {
			t.Errorf("%s: rental contract required = %v", p.ID, slices.Contains(p.Documents.Required, talent.DocRentalContract))
		}
	}
	if !slices.Equal(ids, []ID{Apartment, Living, Relocation, Rent}) {
		t.Errorf("ids = %v", ids)
	}

	// The figures of POLICY.md.
	byID := func(id ID) Package { p, _ := InForce(pkgs, id, d(2026, 1, 1)); return p }
	amounts := map[ID]map[talent.EducationLevel]int64{
		Relocation: {talent.LevelBachelor: 1000000, talent.LevelMaster: 3000000, talent.LevelDoctorate: 5000000},
		Rent:       {talent.LevelBachelor: 60000, talent.LevelMaster: 80000, talent.LevelDoctorate: 200000},
		Living:     {talent.LevelBachelor: 100000, talent.LevelMaster: 100000, talent.LevelDoctorate: 100000},
	}
	for id, want := range amounts {
		for l, fen := range want {
			if got := byID(id).Benefit.Amounts[l]; got != fen {
				t.Errorf("%s %s: %d fen, want %d", id, l, got, fen)
			}
		}
	}
	if b := byID(Relocation).Benefit; b.Kind != BenefitInstalments || !slices.Equal(b.Instalments, []Instalment{{6, 50}, {12, 50}}) {
		t.Errorf("relocation benefit %+v", b)
	}
	if b := byID(Rent).Benefit; b.Kind != BenefitMonthly || b.MaxMonths != 36 || !b.CapByActualRent {
		t.Errorf("rent benefit %+v", b)
	}
	if b := byID(Living).Benefit; b.Kind != BenefitMonthly || b.MaxMonths != 36 || b.CapByActualRent {
		t.Errorf("living benefit %+v", b)
	}
	if ex := byID(Rent).ExclusiveWith; !slices.Equal(ex, []string{BenefitApartmentLease, BenefitPublicRentalHousing}) {
		t.Errorf("rent exclusiveWith %v", ex)
	}
	if n, ok := byID(Relocation).IntParam("clawback_months"); !ok || n != 36 {
		t.Errorf("relocation clawback_months = %d, %v", n, ok)
	}
}

func TestApartmentPackage(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("packages/apartment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Benefit.Kind != "" || p.Scoring == nil {
		t.Fatalf("apartment: benefit %q, scoring %v", p.Benefit.Kind, p.Scoring)
	}
	f := graduate()
	f.Holds = map[string]Truth{string(Rent): No, BenefitPublicRentalHousing: No, BenefitApartmentLease: No}
	if dec := Evaluate(p, f); dec.Outcome != Eligible || dec.Entitlement.Kind != "" {
		t.Errorf("apartment: %s %+v", dec.Summary.EN, dec.Entitlement)
	}
	f.Holds[string(Rent)] = Yes
	if dec := Evaluate(p, f); dec.Outcome != Ineligible {
		t.Errorf("apartment while receiving the rent subsidy: %s", dec.Outcome)
	}
	f.Holds[string(Rent)], f.Holds[BenefitApartmentLease] = No, Yes
	if dec := Evaluate(p, f); dec.Outcome != Ineligible {
		t.Errorf("a second apartment while holding a lease: %s", dec.Outcome)
	}
}

func TestInForce(t *testing.T) {
	t.Parallel()
	pkg := func(id ID, v int, from, to time.Time) Package {
		return Package{ID: id, Version: v, EffectiveFrom: from, EffectiveTo: to}
	}
	pkgs := []Package{
		pkg(Rent, 1, d(2026, 1, 1), time.Time{}),
		pkg(Rent, 2, d(2026, 7, 1), d(2026, 12, 31)),
		pkg(Rent, 3, d(2027, 3, 1), time.Time{}),
		pkg(Relocation, 1, d(2026, 1, 1), d(2026, 6, 30)),
	}
	tests := []struct {
		id   ID
		on   time.Time
		want int // 0: none
	}{
		{Rent, d(2025, 12, 31), 0},
		{Rent, d(2026, 1, 1), 1},
		{Rent, d(2026, 6, 30), 1},
		{Rent, d(2026, 7, 1), 2},
		{Rent, time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC), 2}, // 2026-07-01 00:00 in Shanghai
		{Rent, time.Date(2026, 6, 30, 15, 59, 0, 0, time.UTC), 1},
		{Rent, d(2026, 12, 31), 2}, // effectiveTo is inclusive
		{Rent, d(2027, 1, 1), 1},   // v2 ended; v1 is open-ended
		{Rent, d(2027, 3, 1), 3},
		{Relocation, d(2026, 6, 30), 1},
		{Relocation, d(2026, 7, 1), 0},
		{Living, d(2026, 7, 1), 0},
	}
	for _, tt := range tests {
		p, ok := InForce(pkgs, tt.id, tt.on)
		if got := map[bool]int{true: p.Version}[ok]; got != tt.want {
			t.Errorf("InForce(%s, %s) = v%d, want v%d", tt.id, tt.on, got, tt.want)
		}
	}
	open := AllInForce(pkgs, d(2026, 7, 1))
	if len(open) != 1 || open[0].ID != Rent || open[0].Version != 2 {
		t.Errorf("AllInForce on 2026-07-01 = %+v", open)
	}
	if open := AllInForce(pkgs, d(2026, 3, 1)); len(open) != 2 || open[0].ID != Relocation || open[1].ID != Rent {
		t.Errorf("AllInForce on 2026-03-01 = %+v", open)
	}
}

func TestCheckPublish(t *testing.T) {
	t.Parallel()
	published, err := DefaultPackages()
	if err != nil {
		t.Fatal(err)
	}
	next := defaultPackage(t, Rent)
	next.Version, next.EffectiveFrom = 2, d(2027, 1, 1)
	if err := CheckPublish(published, next); err != nil {
		t.Errorf("publishing rent v2: %v", err)
	}
	again := defaultPackage(t, Rent)
	if err := CheckPublish(published, again); talent.ErrorKind(err) != talent.KindConflict || talent.ErrorCode(err) != "policy_version_exists" {
		t.Errorf("republishing rent v1: %v", err)
	}
	gap := next
	gap.Version = 3
	if codes := fieldCodes(t, CheckPublish(published, gap)); codes["version"] != "version_not_next" {
		t.Errorf("publishing rent v3 after v1: %v", codes)
	}
	broken := next
	broken.Rules = nil
	if codes := fieldCodes(t, CheckPublish(published, broken)); codes["rules"] != "required" {
		t.Errorf("publishing a package without rules: %v", codes)
	}
}
