package api

import (
	"fmt"
	"time"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// Converters between the wire types generated from the contract and the
// domain types. Personal data leaves only masked.

// each converts every element of a list.
func each[T, U any](in []T, convert func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = convert(v)
	}
	return out
}

func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// yuan writes an amount in fen as yuan with two decimals, as banks and
// spreadsheets take it.
func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

func uuidOf(id string) openapi_types.UUID { return uuid.MustParse(id) }

// uuidPtr is an optional id: nil when there is none.
func uuidPtr(id string) *openapi_types.UUID {
	if id == "" {
		return nil
	}
	u := uuidOf(id)
	return &u
}

func date(t time.Time) openapi_types.Date { return openapi_types.Date{Time: t} }

func datePtr(t *time.Time) *openapi_types.Date {
	if t == nil {
		return nil
	}
	d := date(*t)
	return &d
}

func toUser(u talent.User) gen.User {
	out := gen.User{Id: uuid.MustParse(u.ID), Locale: gen.Locale(u.Locale), CreatedAt: u.CreatedAt.UTC(), Roles: make([]gen.RoleGrant, len(u.Roles))}
	for i, g := range u.Roles {
		out.Roles[i] = gen.RoleGrant{Role: gen.Role(g.Role), GrantedAt: g.GrantedAt.UTC()}
		if g.EmployerID != "" {
			id := uuid.MustParse(g.EmployerID)
			out.Roles[i].EmployerId = &id
		}
	}
	return out
}

func toMe(u talent.User, p talent.Profile) gen.Me {
	if p.Locale == "" {
		p.Locale = u.Locale
	}
	return gen.Me{User: toUser(u), Profile: toProfile(p)}
}

// toProfile shows a profile with its personal data masked.
func toProfile(p talent.Profile) gen.Profile {
	out := gen.Profile{
		Name: p.Name, Locale: gen.Locale(p.Locale), HukouPlace: optional(p.HukouPlace),
		Education: each(p.Education, toEducation),
	}
	if p.Phone != "" {
		out.Phone = optional(talent.MaskPhone(p.Phone))
	}
	if p.NationalID != nil {
		out.NationalId = optional(p.NationalID.Masked())
		// An age, never the birth date: beside the mask it would reveal
		// the digits the mask hides.
		age := policy.Age(p.NationalID.BirthDate(), policy.Civil(time.Now()))
		out.Age = &age
	}
	if e := p.Employer; e != nil {
		out.Employer = &gen.EmployerDeclaration{Name: e.Name, CreditCode: optional(e.CreditCode)}
		if !e.Since.IsZero() {
			s := date(e.Since)
			out.Employer.Since = &s
		}
	}
	out.TalentTier = optional(p.TalentTier)
	if p.BankAccount != "" {
		out.BankAccount = &gen.BankAccount{BankName: p.BankName, AccountNumber: talent.MaskBankAccount(p.BankAccount)}
	}
	if !p.UpdatedAt.IsZero() {
		t := p.UpdatedAt.UTC()
		out.UpdatedAt = &t
	}
	return out
}

func fromProfileInput(b gen.ProfileInput) talent.ProfileInput {
	in := talent.ProfileInput{Name: b.Name}
	if b.Phone != nil {
		in.Phone = *b.Phone
	}
	if b.Locale != nil {
		in.Locale = talent.Locale(*b.Locale)
	}
	if b.NationalId != nil {
		in.NationalID = *b.NationalId
	}
	if b.HukouPlace != nil {
		in.HukouPlace = *b.HukouPlace
	}
	if b.Education != nil {
		for _, e := range *b.Education {
			ed := talent.Education{Level: talent.EducationLevel(e.Level), Institution: e.Institution, FullTime: e.FullTime, GraduationDate: e.GraduationDate.Time}
			if e.DiplomaNumber != nil {
				ed.DiplomaNumber = *e.DiplomaNumber
			}
			in.Education = append(in.Education, ed)
		}
	}
	if a := b.BankAccount; a != nil {
		in.BankName, in.BankAccount = a.BankName, a.AccountNumber
	}
	if e := b.Employer; e != nil {
		in.Employer = &talent.EmployerDeclaration{Name: e.Name}
		if e.CreditCode != nil {
			in.Employer.CreditCode = *e.CreditCode
		}
		if e.Since != nil {
			in.Employer.Since = e.Since.Time
		}
	}
	return in
}

func toDocument(d talent.Document, downloadURL string) gen.Document {
	out := gen.Document{
		Id: uuid.MustParse(d.ID), Kind: gen.DocumentKind(d.Kind), ContentType: d.ContentType, Size: d.Size,
		Sha256: d.SHA256, Status: gen.DocumentStatus(d.Status), RejectReason: optional(d.RejectReason),
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), DownloadUrl: optional(downloadURL),
	}
	if d.InspectedAt != nil {
		t := d.InspectedAt.UTC()
		out.InspectedAt = &t
	}
	return out
}

func toNotification(n talent.Notification) gen.Notification {
	out := gen.Notification{
		Id: uuid.MustParse(n.ID), Template: n.Template, Title: n.Title, Body: n.Body, Data: n.Data,
		CreatedAt: n.CreatedAt.UTC(),
	}
	if out.Data == nil {
		out.Data = map[string]string{}
	}
	if n.ReadAt != nil {
		t := n.ReadAt.UTC()
		out.ReadAt = &t
	}
	return out
}

func toEmployer(e talent.Employer) gen.Employer {
	return gen.Employer{Id: uuid.MustParse(e.ID), Name: e.Name, CreditCode: e.CreditCode, Address: optional(e.Address),
		Status: gen.EmployerStatus(e.Status), CreatedAt: e.CreatedAt.UTC()}
}

func toEmployment(e talent.Employment) gen.Employment {
	out := gen.Employment{
		Id: uuid.MustParse(e.ID), EmployerId: uuid.MustParse(e.EmployerID), Status: gen.EmploymentStatus(e.Status),
		RejectReason: optional(e.RejectReason), CreatedAt: e.CreatedAt.UTC(),
	}
	out.DeclaredSince = datePtr(e.DeclaredSince)
	out.ContractStart = datePtr(e.ContractStart)
	out.ContractEnd = datePtr(e.ContractEnd)
	out.SocialInsuranceStart = datePtr(e.SocialInsuranceStart)
	out.DecidedAt = utc(e.DecidedAt)
	return out
}

func toEmploymentRequest(r talent.EmploymentRequest) gen.EmploymentRequest {
	e := toEmployment(r.Employment)
	return gen.EmploymentRequest{
		Id: e.Id, EmployerId: e.EmployerId, Status: e.Status, DeclaredSince: e.DeclaredSince,
		ContractStart: e.ContractStart, ContractEnd: e.ContractEnd, SocialInsuranceStart: e.SocialInsuranceStart,
		RejectReason: e.RejectReason, DecidedAt: e.DecidedAt, CreatedAt: e.CreatedAt,
		GraduateName: r.GraduateName, NationalId: optional(r.NationalIDMasked),
	}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func toEducation(e talent.Education) gen.Education {
	return gen.Education{
		Level: gen.EducationLevel(e.Level), Institution: e.Institution, FullTime: e.FullTime,
		GraduationDate: date(e.GraduationDate), DiplomaNumber: optional(e.DiplomaNumber),
	}
}
