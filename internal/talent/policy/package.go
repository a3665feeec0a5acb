package policy

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// ID names a policy package; versions of the same package share it.
type ID string

// Package ids.
const (
	// Relocation is the one-off settling-in allowance (安家补贴).
	Relocation ID = "relocation"
	// Rent is the monthly rent subsidy while renting on the market (租房补贴).
	Rent ID = "rent"
	// Living is the monthly living allowance for doctorates and graduates of
	// listed schools (生活补贴).
	Living ID = "living"
	// Apartment is eligibility and scoring for talent apartments (人才公寓);
	// it pays no money, so it has no Benefit, and usually has Scoring.
	Apartment ID = "apartment"
)

// ids are the known packages, each with its name in texts: a new benefit
// package is its YAML file in packages/ plus one line here.
var ids = map[ID]struct {
	Name      Text
	PaysMoney bool // an allowance, decided in claims; otherwise decided in rounds
}{
	Relocation: {Text{ZH: "安家补贴", EN: "relocation allowance"}, true},
	Rent:       {Text{ZH: "租房补贴", EN: "rent subsidy"}, true},
	Living:     {Text{ZH: "生活补贴", EN: "living allowance"}, true},
	Apartment:  {Text{ZH: "人才公寓", EN: "talent apartment"}, false},
}

// Valid reports whether id is a known package id.
func (id ID) Valid() bool {
	_, ok := ids[id]
	return ok
}

// Name is the package's name in texts, e.g. 安家补贴.
func (id ID) Name() Text {
	if x, ok := ids[id]; ok {
		return x.Name
	}
	return Text{ZH: string(id), EN: string(id)}
}

// paysMoney reports whether packages with this id must define a Benefit.
func (id ID) paysMoney() bool { return ids[id].PaysMoney }

// Allowances are the ids of the packages that pay money, in order.
func Allowances() []ID {
	var out []ID
	for id, x := range ids {
		if x.PaysMoney {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// IDs are every known package id, in order.
func IDs() []ID {
	out := slices.Collect(maps.Keys(ids))
	slices.Sort(out)
	return out
}

// Housing benefits a package may be exclusive with, besides other package ids.
const (
	// BenefitApartmentLease is a talent-apartment lease (人才公寓租赁).
	BenefitApartmentLease = "apartment_lease"
	// BenefitPublicRentalHousing is public rental housing (公共租赁住房).
	BenefitPublicRentalHousing = "public_rental_housing"
)

// validExclusive reports whether name can appear in ExclusiveWith.
func validExclusive(name string) bool {
	return name == BenefitApartmentLease || name == BenefitPublicRentalHousing || ID(name).Valid()
}

// Text is a short text in Anju's two languages; the rules write many, so it
// is the package's own type, converted to talent.Text where a text leaves.
type Text struct {
	ZH string // zh-CN, the default
	EN string
}

// In returns the text in locale l, Chinese unless l is English.
func (t Text) In(l talent.Locale) string { return talent.Text(t).In(l) }

// Package is one version of a policy package. Packages are values: a
// published version is never edited; a change is a new version.
type Package struct {
	ID      ID
	Version int // 1, 2, …: each published version of an id gets the next number
	// EffectiveFrom and EffectiveTo bound the civil dates (inclusive) on which
	// claims are decided under this version; a zero EffectiveTo is open-ended.
	EffectiveFrom time.Time
	EffectiveTo   time.Time
	Title         Text
	Summary       Text
	// Parameters are the package's named figures, each with its clause,
	// ordered by name (as Parse returns them). A
	// rule param written "$name" refers to one; others are read by the code
	// that needs them (for example a claw-back period), through Param.
	Parameters []Parameter
	Rules      []Rule
	// Benefit is what the package pays; packages that pay no money
	// (apartment) leave Kind empty.
	Benefit   Benefit
	Documents Documents
	// ExclusiveWith lists housing benefits (BenefitApartmentLease,
	// BenefitPublicRentalHousing or another package id) that a claimant may
	// not hold at the same time; a rule of kind exclusive checks them.
	ExclusiveWith []string
	// Scoring ranks eligible applicants (apartment allocation); nil when the
	// package does not rank.
	Scoring *ScoreParams
}

// Parameter is a named figure of a package with the clause it comes from.
// Value is as decoded from YAML: int, string, bool, time.Time, []any or
// map[string]any.
type Parameter struct {
	Name   string
	Value  any
	Clause string
}

// Param returns the named parameter.
func (p Package) Param(name string) (Parameter, bool) {
	i := slices.IndexFunc(p.Parameters, func(q Parameter) bool { return q.Name == name })
	if i < 0 {
		return Parameter{}, false
	}
	return p.Parameters[i], true
}

// IntParam returns the named parameter as an integer.
func (p Package) IntParam(name string) (int64, bool) {
	q, ok := p.Param(name)
	if !ok {
		return 0, false
	}
	return asInt(q.Value)
}

// Rule is one condition of a package: a kind implemented in Go, configured by
// Params, citing Clause.
type Rule struct {
	ID     string // unique in the package: degree, age, social_insurance …
	Kind   RuleKind
	Clause string
	// Params configure the kind (see the Kind constants for each kind's
	// params). Values are as a YAML or JSON decoder gives them: int or
	// float64 numbers, string, bool, time.Time or "2006-01-02" dates, []any,
	// map[string]any. A string value "$name" refers to the package
	// parameter name.
	Params map[string]any
}

// BenefitKind is how a package pays.
type BenefitKind string

// Benefit kinds.
const (
	// BenefitInstalments pays a total amount in instalments, each released
	// after a number of consecutive months of local social insurance.
	BenefitInstalments BenefitKind = "instalments"
	// BenefitMonthly pays a monthly amount for at most MaxMonths months,
	// optionally never more than the actual rent.
	BenefitMonthly BenefitKind = "monthly"
)

// Benefit is what a package pays, by the level of the degree the claim rests on.
type Benefit struct {
	Kind   BenefitKind
	Clause string
	// Amounts are in fen: the total for instalments, the monthly amount for monthly.
	Amounts map[talent.EducationLevel]int64
	// Instalments (kind instalments) split the total; percents add up to 100.
	Instalments []Instalment
	// MaxMonths (kind monthly) bounds the number of monthly payments.
	MaxMonths int
	// CapByActualRent (kind monthly) pays never more than the actual monthly rent.
	CapByActualRent bool
}

// Instalment is one part of an instalments benefit, released once the
// graduate has AfterMonths consecutive months of local social insurance
// (back-paid months do not count).
type Instalment struct {
	AfterMonths int
	Percent     int
}

// Documents are the document kinds a claim needs, with the clause requiring them.
type Documents struct {
	Clause   string
	Required []talent.DocumentKind
}

// InForce returns the package with this id to decide a claim submitted on
// the civil date of on: the highest version whose effective window contains
// that date.
func InForce(pkgs []Package, id ID, on time.Time) (Package, bool) {
	day := Civil(on)
	var best Package
	found := false
	for _, p := range pkgs {
		if p.ID != id || !p.InForceOn(day) {
			continue
		}
		if !found || p.Version > best.Version {
			best, found = p, true
		}
	}
	return best, found
}

// InForceOn reports whether the civil date of on is inside the package's
// effective window.
func (p Package) InForceOn(on time.Time) bool {
	day := Civil(on)
	return !day.Before(Civil(p.EffectiveFrom)) && (p.EffectiveTo.IsZero() || !day.After(Civil(p.EffectiveTo)))
}

// AllInForce returns, for each package id, the version in force on the civil
// date of on, ordered by id: what the app lists as open.
func AllInForce(pkgs []Package, on time.Time) []Package {
	var ids []ID
	for _, p := range pkgs {
		if !slices.Contains(ids, p.ID) {
			ids = append(ids, p.ID)
		}
	}
	slices.Sort(ids)
	var open []Package
	for _, id := range ids {
		if p, ok := InForce(pkgs, id, on); ok {
			open = append(open, p)
		}
	}
	return open
}

// CheckPublish checks that next may be published after the versions already
// published (of any id): it must validate, and its version must be the next
// number for its id. A version that exists already is KindConflict
// "policy_version_exists"; a gap or a lower number is KindInvalid.
func CheckPublish(published []Package, next Package) error {
	if err := next.Validate(); err != nil {
		return err
	}
	latest := 0
	for _, p := range published {
		if p.ID != next.ID {
			continue
		}
		if p.Version == next.Version {
			return talent.Errorf(talent.KindConflict, CodePolicyVersionExists,
				"policy %s version %d is already published; publish a new version instead", next.ID, next.Version)
		}
		latest = max(latest, p.Version)
	}
	if next.Version != latest+1 {
		return &talent.Error{
			Kind: talent.KindInvalid, Code: CodePolicyVersionNotNext,
			Message: fmt.Sprintf("policy %s: the next version is %d, not %d", next.ID, latest+1, next.Version),
			Fields:  []talent.FieldError{{Field: "version", Code: CodeVersionNotNext}},
		}
	}
	return nil
}

// levelRank orders education levels; unknown levels rank lowest.
func levelRank(l talent.EducationLevel) int {
	switch l {
	case talent.LevelAssociate:
		return 1
	case talent.LevelBachelor:
		return 2
	case talent.LevelMaster:
		return 3
	case talent.LevelDoctorate:
		return 4
	}
	return 0
}

// levels lists the education levels from lowest to highest.
var levels = []talent.EducationLevel{talent.LevelAssociate, talent.LevelBachelor, talent.LevelMaster, talent.LevelDoctorate}

// levelName is a level in words, for messages.
func levelName(l talent.EducationLevel) Text {
	switch l {
	case talent.LevelAssociate:
		return Text{"专科", "associate degree"}
	case talent.LevelBachelor:
		return Text{"本科", "bachelor's degree"}
	case talent.LevelMaster:
		return Text{"硕士研究生", "master's degree"}
	case talent.LevelDoctorate:
		return Text{"博士研究生", "doctorate"}
	}
	return Text{string(l), string(l)}
}

// sortPackages orders packages by id, then version.
func sortPackages(pkgs []Package) {
	slices.SortFunc(pkgs, func(a, b Package) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Version, b.Version))
	})
}
