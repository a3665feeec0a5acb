package employers

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
)

// Filing is one upload of an employer's new hires by its HR.
type Filing struct {
	ID         string
	EmployerID string
	FiledBy    string
	Hires      int
	Matched    int // hires who signed up and took the employment
	CreatedAt  time.Time
}

// Hire is one filed new hire: confirmed employment waiting for the
// graduate's account, found by the blind index of the national ID.
type Hire struct {
	ID               string
	FilingID         string
	EmployerID       string
	Name             string
	NationalIDSealed string
	NationalIDIndex  string
	PhoneSealed      string
	Confirmation     talent.Confirmation
	UserID           string
	EmploymentID     string
	MatchedAt        *time.Time
}

// FilingView is a filing as HR reads it, with its hires.
type FilingView struct {
	Filing
	Items []HireView
}

// HireView is a filed hire as HR reads it: the ID number masked.
type HireView struct {
	Name       string
	NationalID string
	Matched    bool
}

// filingColumns are the new-hire sheet's columns, by English or Chinese header.
var filingColumns = map[string][]string{
	"name":                 {"name", "姓名"},
	"nationalId":           {"nationalId", "national id", "身份证号", "身份证号码"},
	"phone":                {"phone", "手机", "手机号", "手机号码"},
	"contractStart":        {"contractStart", "contract start", "合同开始日期", "合同起始日期"},
	"contractEnd":          {"contractEnd", "contract end", "合同结束日期", "合同终止日期"},
	"socialInsuranceStart": {"socialInsuranceStart", "social insurance start", "社保起缴日期", "社保起缴月份"},
}

var filingRequired = []string{"name", "nationalId", "contractStart", "contractEnd", "socialInsuranceStart"}

// MaxFilingRows bounds one filing.
const MaxFilingRows = 5000

// MayFile says whether actor may file hires at all (HR of an employer).
// The API asks it before reading the uploaded file.
func MayFile(actor talent.User) error {
	_, err := actor.HREmployer()
	return err
}

// File takes an employer's new hires from a sheet (HR of the employer):
// name, national ID number, phone, contract start and end, and the start of
// social insurance. Every row is checked — the ID number's check digit, the
// dates, duplicates in the file, people this employer filed before or who
// already claimed the allowance — and any bad row refuses the whole file,
// each problem named by row and column. A person who already has an
// account is matched at once; the others when they sign up.
func (s *Service) File(ctx context.Context, actor talent.User, rows [][]string) (FilingView, error) {
	employerID, err := actor.HREmployer()
	if err != nil {
		return FilingView{}, err
	}
	if len(rows) < 2 {
		return FilingView{}, talent.Field("rows", talent.CodeImportEmpty)
	}
	if len(rows) > MaxFilingRows+1 {
		return FilingView{}, talent.Field("rows", talent.CodeTooManyItems)
	}
	now := s.now()
	parsed, seen, fields, err := s.readHires(rows, employerID, now)
	if err != nil {
		return FilingView{}, err
	}
	indexes := make([]string, 0, len(seen))
	for idx := range seen {
		indexes = append(indexes, idx)
	}
	persons, err := s.Store.Persons(ctx, employerID, FiledPackage, indexes)
	if err != nil {
		return FilingView{}, err
	}
	own, err := s.Store.PersonIndex(ctx, actor.ID)
	if err != nil {
		return FilingView{}, err
	}
	for _, x := range parsed {
		switch idx := x.hire.NationalIDIndex; {
		case idx == "":
		case idx == own:
			// Filed, they would confirm their own employment.
			fields = append(fields, talent.FieldError{Field: x.prefix + "nationalId", Code: talent.CodeOwnBenefit})
		case persons.Filed[idx]:
			fields = append(fields, talent.FieldError{Field: x.prefix + "nationalId", Code: CodeAlreadyFiled})
		case persons.Claimed[idx]:
			fields = append(fields, talent.FieldError{Field: x.prefix + "nationalId", Code: CodeAlreadyClaimed})
		}
	}
	if len(fields) > 0 {
		return FilingView{}, talent.RejectRows(fields)
	}

	f := Filing{ID: talent.NewID(), EmployerID: employerID, FiledBy: actor.ID, Hires: len(parsed), CreatedAt: now}
	hires := make([]Hire, len(parsed))
	change := Change{Audit: []talent.Audit{s.audit(employerID, actor, "filing.created", f.ID, strconv.Itoa(len(parsed))+" hires")}}
	for i, x := range parsed {
		h := x.hire
		h.FilingID = f.ID
		if h.NationalIDSealed, err = s.Vault.Seal(talent.SealedHireNationalID, h.ID, x.number); err != nil {
			return FilingView{}, err
		}
		if x.phone != "" {
			if h.PhoneSealed, err = s.Vault.Seal(talent.SealedHirePhone, h.ID, x.phone); err != nil {
				return FilingView{}, err
			}
		}
		hires[i] = h
		if uid, ok := persons.Users[h.NationalIDIndex]; ok {
			change.Tasks = append(change.Tasks, talent.PersonIdentified{UserID: uid})
		}
	}
	if err := s.Store.CreateFiling(ctx, f, hires, change); err != nil {
		return FilingView{}, err
	}
	return s.viewFiling(f, hires)
}

// hireRow is one row of a filing as read, before the store is asked about
// the person.
type hireRow struct {
	prefix string
	hire   Hire
	phone  string
	number string
}

// readHires reads the rows of a filing sheet (header first): each hire,
// the blind indexes seen, and every problem by row and column. It needs no
// store, so what a file can do to it is fuzzed (FuzzReadHires). A missing
// column is an error of the whole file.
func (s *Service) readHires(rows [][]string, employerID string, now time.Time) ([]hireRow, map[string]bool, []talent.FieldError, error) {
	col, missing := talent.SheetColumns(rows[0], filingColumns, filingRequired)
	if len(missing) > 0 {
		return nil, nil, nil, talent.MissingColumns(missing)
	}
	var fields []talent.FieldError
	var parsed []hireRow
	seen := map[string]bool{}
	for i, r := range rows[1:] {
		prefix := "rows[" + strconv.Itoa(i+2) + "]."
		x := hireRow{prefix: prefix, hire: Hire{ID: talent.NewID(), EmployerID: employerID, Name: talent.Cell(r, col["name"])}}
		if n := utf8.RuneCountInString(x.hire.Name); n == 0 || n > 64 {
			fields = append(fields, talent.FieldError{Field: prefix + "name", Code: talent.CodeTextLength})
		}
		id, idErr := talent.ParseNationalID(talent.Cell(r, col["nationalId"]), now)
		if idErr != nil {
			for _, f := range idErr.Fields {
				fields = append(fields, talent.FieldError{Field: prefix + "nationalId", Code: f.Code})
			}
		} else {
			x.number = id.Number()
			x.hire.NationalIDIndex = s.Vault.Index(x.number)
			if seen[x.hire.NationalIDIndex] {
				fields = append(fields, talent.FieldError{Field: prefix + "nationalId", Code: talent.CodeDuplicateInFile})
			}
			seen[x.hire.NationalIDIndex] = true
		}
		if c, ok := col["phone"]; ok {
			if x.phone = talent.Cell(r, c); x.phone != "" && !talent.ValidPhone(x.phone) {
				fields = append(fields, talent.FieldError{Field: prefix + "phone", Code: talent.CodePhoneFormat})
			}
		}
		var dateFields []talent.FieldError
		for _, d := range []struct {
			name string
			to   *time.Time
		}{{"contractStart", &x.hire.Confirmation.ContractStart}, {"contractEnd", &x.hire.Confirmation.ContractEnd},
			{"socialInsuranceStart", &x.hire.Confirmation.SocialInsuranceStart}} {
			t, ok := parseDate(talent.Cell(r, col[d.name]))
			if !ok {
				dateFields = append(dateFields, talent.FieldError{Field: prefix + d.name, Code: talent.CodeNotDate})
			}
			*d.to = t
		}
		if len(dateFields) == 0 {
			dateFields = x.hire.Confirmation.Check(prefix, now)
		}
		fields = append(fields, dateFields...)
		parsed = append(parsed, x)
	}
	return parsed, seen, fields, nil
}

// parseDate reads a civil date as sheets write it: 2026-07-01, 2026/7/1 or 2026.07.01.
func parseDate(s string) (time.Time, bool) {
	s = strings.NewReplacer("/", "-", ".", "-").Replace(strings.TrimSpace(s))
	for _, layout := range []string{"2006-01-02", "2006-1-2"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (s *Service) viewFiling(f Filing, hires []Hire) (FilingView, error) {
	v := FilingView{Filing: f, Items: make([]HireView, len(hires))}
	for i, h := range hires {
		number, err := s.Vault.Open(talent.SealedHireNationalID, h.ID, h.NationalIDSealed)
		if err != nil {
			return FilingView{}, err
		}
		v.Items[i] = HireView{Name: h.Name, NationalID: talent.MaskNationalID(number), Matched: h.EmploymentID != ""}
	}
	return v, nil
}

// Filings lists the caller's employer's filings (HR).
func (s *Service) Filings(ctx context.Context, actor talent.User, page talent.Page) ([]Filing, string, error) {
	employerID, err := actor.HREmployer()
	if err != nil {
		return nil, "", err
	}
	return s.Store.Filings(ctx, employerID, page)
}

// Filing returns one of the caller's employer's filings with its hires
// (HR); another employer's is not found.
func (s *Service) Filing(ctx context.Context, actor talent.User, id string) (FilingView, error) {
	employerID, err := actor.HREmployer()
	if err != nil {
		return FilingView{}, err
	}
	f, hires, err := s.Store.Filing(ctx, id)
	if err != nil {
		return FilingView{}, err
	}
	if f.EmployerID != employerID {
		return FilingView{}, talent.NotFound(CodeFilingNotFound)
	}
	return s.viewFiling(f, hires)
}

// MatchFiled gives a person who signed up the employment their employer
// filed for them (worker, on talent.PersonIdentified): the newest filing
// wins; a confirmed employment at that employer stays as it is; and a
// draft claim of FiledPackage waits for them, prefilled. Running it again
// changes nothing.
func (s *Service) MatchFiled(ctx context.Context, userID string) error {
	u, err := s.Staff.User(ctx, userID)
	if err != nil {
		return err
	}
	index, err := s.Store.PersonIndex(ctx, userID)
	if err != nil || index == "" {
		return err
	}
	hires, err := s.Store.UnmatchedHires(ctx, index)
	if err != nil || len(hires) == 0 {
		return err
	}
	claimID, err := s.Drafts.Prefill(ctx, u, FiledPackage)
	if err != nil {
		return err
	}
	current, err := s.Employments.CurrentEmployment(ctx, userID)
	if err != nil && talent.ErrorKind(err) != talent.KindNotFound {
		return err
	}
	_, err = s.Store.MatchHire(ctx, hires[0].ID, func(h *Hire) (Change, error) {
		if h.MatchedAt != nil {
			return Change{}, nil
		}
		e, err := s.Store.Employer(ctx, h.EmployerID)
		if err != nil {
			return Change{}, err
		}
		now := s.now()
		h.UserID, h.MatchedAt = userID, &now
		var change Change
		if current.Status == talent.EmploymentConfirmed && current.EmployerID == h.EmployerID {
			h.EmploymentID = current.ID
		} else {
			f, _, err := s.Store.Filing(ctx, h.FilingID)
			if err != nil {
				return Change{}, err
			}
			emp := talent.FiledEmployment(userID, h.EmployerID, f.FiledBy, h.Confirmation, now)
			h.EmploymentID = emp.ID
			change.Employment = &emp
			change.Profile = &talent.EmployerDeclaration{Name: e.Name, CreditCode: e.CreditCode, Since: h.Confirmation.ContractStart}
		}
		link := "anju://me/employment"
		if claimID != "" {
			link = "anju://claims/" + claimID
		}
		change.Audit = []talent.Audit{s.audit(h.EmployerID, talent.System, "hire.matched", h.ID, userID)}
		change.Tasks = append(notify([]string{userID}, "employer.filed:"+h.ID, "employer.filed", map[string]string{"employer": e.Name}, link),
			talent.EmploymentDecided{UserID: userID})
		return change, nil
	})
	return err
}
