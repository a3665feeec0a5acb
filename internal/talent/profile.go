package talent

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// EducationLevel is the highest degree of one education record.
type EducationLevel string

// Education levels.
const (
	LevelAssociate EducationLevel = "associate" // 专科
	LevelBachelor  EducationLevel = "bachelor"  // 本科
	LevelMaster    EducationLevel = "master"    // 硕士
	LevelDoctorate EducationLevel = "doctorate" // 博士
)

// Valid reports whether l is a known level.
func (l EducationLevel) Valid() bool {
	switch l {
	case LevelAssociate, LevelBachelor, LevelMaster, LevelDoctorate:
		return true
	}
	return false
}

// Education is one degree the graduate declares; documents prove it.
type Education struct {
	Level          EducationLevel
	Institution    string
	FullTime       bool
	GraduationDate time.Time // civil date
	DiplomaNumber  string
}

// EmployerDeclaration is who the graduate says employs them; the employer's
// HR office confirms it.
type EmployerDeclaration struct {
	Name       string
	CreditCode string // 统一社会信用代码
	Since      time.Time
}

// Profile is what a graduate tells Anju about themselves. NationalID and
// Phone are personal data: sealed at rest, masked in every response.
type Profile struct {
	UserID     string
	Name       string
	Phone      string
	Locale     Locale
	NationalID *NationalID
	HukouPlace string // household registration (户籍) place
	Education  []Education
	Employer   *EmployerDeclaration
	// BankName and BankAccount are where allowances are paid; the account
	// is personal data.
	BankName    string
	BankAccount string
	// TalentTier is the recognised talent tier (A–E) the talent office
	// certified; the graduate cannot set it.
	TalentTier string
	UpdatedAt  time.Time
}

// ProfileInput is an update of the whole profile, as the app sends it.
type ProfileInput struct {
	Name        string
	Phone       string
	Locale      Locale
	NationalID  string
	HukouPlace  string
	Education   []Education
	Employer    *EmployerDeclaration
	BankName    string
	BankAccount string
}

// ProfileRecord is a profile as stored: personal data sealed by the Vault.
type ProfileRecord struct {
	UserID            string
	Name              string
	PhoneSealed       string
	PhoneIndex        string // blind index of the phone number, for the admin's search
	Locale            Locale
	NationalIDSealed  string
	NationalIDIndex   string // blind index: one account per person
	BirthDate         *time.Time
	HukouPlace        string
	Education         []Education
	Employer          *EmployerDeclaration
	BankName          string
	BankAccountSealed string
	// BankAccountChangedAt is when the account number last changed; nil
	// when it never did (setting the first one is not a change). Payments
	// to a changed account are held for a while.
	BankAccountChangedAt *time.Time
	TalentTier           string
	UpdatedAt            time.Time
}

// Validate checks every field and reports all problems at once, so the app
// can mark each one. It returns the parsed national ID, if any.
func (in *ProfileInput) Validate(now time.Time) (*NationalID, error) {
	var fields []FieldError
	add := func(field string, code Code) { fields = append(fields, FieldError{Field: field, Code: code}) }
	in.Name = strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > 64 {
		add("name", CodeNameLength)
	}
	in.Phone = strings.TrimSpace(in.Phone)
	if in.Phone != "" && !ValidPhone(in.Phone) {
		add("phone", CodePhoneFormat)
	}
	if in.Locale == "" {
		in.Locale = LocaleZH
	}
	if !in.Locale.Valid() {
		add("locale", CodeLocaleUnsupported)
	}
	var id *NationalID
	if in.NationalID != "" {
		parsed, err := ParseNationalID(in.NationalID, now)
		if err != nil {
			fields = append(fields, err.Fields...)
		} else {
			id = &parsed
		}
	}
	if utf8.RuneCountInString(in.HukouPlace) > 128 {
		add("hukouPlace", CodeTextTooLong)
	}
	if len(in.Education) > 8 {
		add("education", CodeTooManyItems)
	}
	for i, e := range in.Education {
		prefix := "education[" + strconv.Itoa(i) + "]."
		if !e.Level.Valid() {
			add(prefix+"level", CodeEducationLevel)
		}
		if n := utf8.RuneCountInString(strings.TrimSpace(e.Institution)); n == 0 || n > 128 {
			add(prefix+"institution", CodeTextLength)
		}
		if e.GraduationDate.IsZero() || e.GraduationDate.After(now.AddDate(1, 0, 0)) {
			add(prefix+"graduationDate", CodeDateOutOfRange)
		}
		if len(e.DiplomaNumber) > 64 {
			add(prefix+"diplomaNumber", CodeTextTooLong)
		}
	}
	if e := in.Employer; e != nil {
		if n := utf8.RuneCountInString(strings.TrimSpace(e.Name)); n == 0 || n > 128 {
			add("employer.name", CodeTextLength)
		}
		if e.CreditCode != "" {
			code, err := ParseCreditCode(e.CreditCode, "employer.creditCode")
			if err != nil {
				fields = append(fields, err.Fields...)
			}
			e.CreditCode = code
		}
	}
	in.BankAccount = strings.ReplaceAll(strings.TrimSpace(in.BankAccount), " ", "")
	if in.BankAccount != "" && !validBankAccount(in.BankAccount) {
		add("bankAccount.accountNumber", CodeBankAccountFormat)
	}
	if in.BankAccount != "" && strings.TrimSpace(in.BankName) == "" {
		add("bankAccount.bankName", CodeRequired)
	}
	if len(fields) > 0 {
		return nil, Invalid(fields...)
	}
	return id, nil
}

// ValidPhone accepts a mainland mobile number, optionally in E.164 (+86…).
func ValidPhone(s string) bool {
	s = strings.TrimPrefix(s, "+86")
	if len(s) != 11 || s[0] != '1' {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validBankAccount accepts a mainland bank card or account number: 12 to 30 digits.
func validBankAccount(s string) bool {
	if len(s) < 12 || len(s) > 30 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// MaskBankAccount keeps only the last four digits.
func MaskBankAccount(s string) string {
	if len(s) <= 4 {
		return strings.Repeat("*", len(s))
	}
	return strings.Repeat("*", len(s)-4) + s[len(s)-4:]
}
