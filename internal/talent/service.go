package talent

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/filetype"
	"github.com/google/uuid"
)

// Service holds Anju's use cases. The api and the workers both call it, so a
// rule lives in one place whichever side triggers it.
type Service struct {
	Store   Store
	Objects ObjectStore
	Pusher  Pusher
	Vault   Vault
	Clock   Clock
	Logger  *slog.Logger

	// BootstrapAdmins are Firebase uids that become admins at sign-in, so a
	// new installation has someone to grant the other roles.
	BootstrapAdmins []string
	// UploadTTL and DownloadTTL bound presigned URLs; short, since a leaked
	// URL grants access to personal documents.
	UploadTTL   time.Duration
	DownloadTTL time.Duration
}

func (s *Service) now() time.Time { return s.Clock.Now().UTC() }

// NewID returns a new time-ordered identifier.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// SignIn turns a verified identity into a user, creating it on first sign-in.
func (s *Service) SignIn(ctx context.Context, id Identity) (User, error) {
	if id.UID == "" {
		return User{}, Errorf(KindUnauthenticated, "token_invalid", "token has no subject")
	}
	return s.Store.SignIn(ctx, id.UID, slices.Contains(s.BootstrapAdmins, id.UID))
}

// Profile returns the caller's profile, personal data opened for masking.
func (s *Service) Profile(ctx context.Context, actor User) (Profile, error) {
	rec, err := s.Store.Profile(ctx, actor.ID)
	if ErrorKind(err) == KindNotFound {
		return Profile{UserID: actor.ID, Locale: actor.Locale}, nil
	}
	if err != nil {
		return Profile{}, err
	}
	return s.openProfile(rec)
}

func (s *Service) openProfile(rec ProfileRecord) (Profile, error) {
	p := Profile{
		UserID: rec.UserID, Name: rec.Name, Locale: rec.Locale, HukouPlace: rec.HukouPlace,
		Education: rec.Education, Employer: rec.Employer, BankName: rec.BankName, TalentTier: rec.TalentTier,
		UpdatedAt: rec.UpdatedAt,
	}
	if rec.BankAccountSealed != "" {
		account, err := s.Vault.Open(rec.BankAccountSealed)
		if err != nil {
			return Profile{}, err
		}
		p.BankAccount = account
	}
	if rec.PhoneSealed != "" {
		phone, err := s.Vault.Open(rec.PhoneSealed)
		if err != nil {
			return Profile{}, err
		}
		p.Phone = phone
	}
	if rec.NationalIDSealed != "" {
		number, err := s.Vault.Open(rec.NationalIDSealed)
		if err != nil {
			return Profile{}, err
		}
		// Stored numbers were valid when saved; parse against a far date so
		// that a stored value never becomes unreadable.
		id, perr := ParseNationalID(number, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
		if perr != nil {
			return Profile{}, errors.New("stored national id no longer parses")
		}
		p.NationalID = &id
	}
	return p, nil
}

// UpdateProfile replaces the caller's profile. All invalid fields are
// reported together; a national ID held by another account is a conflict.
func (s *Service) UpdateProfile(ctx context.Context, actor User, in ProfileInput) (Profile, error) {
	id, err := in.validate(s.now())
	if err != nil {
		return Profile{}, err
	}
	// The app only ever sees personal data masked, so it leaves those
	// fields out to keep them; the stored values carry over.
	prev, err := s.Store.Profile(ctx, actor.ID)
	if err != nil && ErrorKind(err) != KindNotFound {
		return Profile{}, err
	}
	rec := ProfileRecord{
		UserID: actor.ID, Name: in.Name, Locale: in.Locale, HukouPlace: strings.TrimSpace(in.HukouPlace),
		Education: in.Education, Employer: in.Employer, UpdatedAt: s.now(),
		PhoneSealed: prev.PhoneSealed, NationalIDSealed: prev.NationalIDSealed,
		NationalIDIndex: prev.NationalIDIndex, BirthDate: prev.BirthDate,
		BankName: prev.BankName, BankAccountSealed: prev.BankAccountSealed, TalentTier: prev.TalentTier,
	}
	if in.BankAccount != "" {
		rec.BankName = strings.TrimSpace(in.BankName)
		if rec.BankAccountSealed, err = s.Vault.Seal(in.BankAccount); err != nil {
			return Profile{}, err
		}
	}
	if in.Phone != "" {
		if rec.PhoneSealed, err = s.Vault.Seal(in.Phone); err != nil {
			return Profile{}, err
		}
	}
	if id != nil {
		if rec.NationalIDSealed, err = s.Vault.Seal(id.Number()); err != nil {
			return Profile{}, err
		}
		rec.NationalIDIndex = s.Vault.Index(id.Number())
		birth := id.BirthDate()
		rec.BirthDate = &birth
	}
	declare, tasks, err := s.declaration(ctx, actor, rec.Employer)
	if err != nil {
		return Profile{}, err
	}
	if err := s.Store.SaveProfile(ctx, rec, declare, tasks); err != nil {
		return Profile{}, err
	}
	return s.openProfile(rec)
}

// declaration turns the profile's employer into an employment declaration
// for the employer's HR office to confirm, when it names a registered
// employer that the graduate has not already declared.
func (s *Service) declaration(ctx context.Context, actor User, decl *EmployerDeclaration) (*Employment, []Task, error) {
	if decl == nil || decl.CreditCode == "" {
		return nil, nil, nil
	}
	emp, err := s.Store.EmployerByCreditCode(ctx, decl.CreditCode)
	if ErrorKind(err) == KindNotFound {
		return nil, nil, Invalid(FieldError{Field: "employer.creditCode", Code: "employer_not_registered"})
	}
	if err != nil {
		return nil, nil, err
	}
	decl.Name = emp.Name
	cur, err := s.Store.CurrentEmployment(ctx, actor.ID)
	switch {
	case err != nil && ErrorKind(err) != KindNotFound:
		return nil, nil, err
	case err == nil && cur.EmployerID == emp.ID && cur.Status != EmploymentSuperseded &&
		(cur.Status != EmploymentRejected || sameDate(cur.DeclaredSince, decl.Since)):
		// Already declared; a rejected one is declared again only with a changed start date.
		return nil, nil, nil
	}
	now := s.now()
	e := &Employment{ID: NewID(), UserID: actor.ID, EmployerID: emp.ID, Status: EmploymentPending, CreatedAt: now, UpdatedAt: now}
	if !decl.Since.IsZero() {
		since := decl.Since
		e.DeclaredSince = &since
	}
	return e, []Task{{Type: TaskEmploymentDeclared, Payload: EmploymentDeclared{EmploymentID: e.ID}}}, nil
}

func sameDate(a *time.Time, b time.Time) bool {
	if a == nil {
		return b.IsZero()
	}
	return a.Format(time.DateOnly) == b.Format(time.DateOnly)
}

// CreateDocument records a declared upload and returns the presigned policy
// the app posts the file with. The object key is chosen here, never by the client.
func (s *Service) CreateDocument(ctx context.Context, actor User, in DocumentInput) (Document, UploadForm, error) {
	if err := in.validate(); err != nil {
		return Document{}, UploadForm{}, err
	}
	now := s.now()
	d := Document{
		ID: NewID(), OwnerID: actor.ID, Kind: in.Kind, ContentType: in.ContentType, Size: in.Size,
		SHA256: in.SHA256, Status: DocPending, CreatedAt: now, UpdatedAt: now,
	}
	d.ObjectKey = "documents/" + actor.ID + "/" + d.ID
	form, err := s.Objects.PresignUpload(ctx, d.ObjectKey, d.ContentType, d.Size, s.UploadTTL)
	if err != nil {
		return Document{}, UploadForm{}, err
	}
	if err := s.Store.CreateDocument(ctx, d); err != nil {
		return Document{}, UploadForm{}, err
	}
	return d, form, nil
}

// CompleteDocument is the app saying the upload finished; it queues the
// inspection. Completing twice is harmless.
func (s *Service) CompleteDocument(ctx context.Context, actor User, id string) (Document, error) {
	return s.Store.UpdateDocument(ctx, id, func(d *Document) ([]Task, error) {
		if d.OwnerID != actor.ID {
			return nil, NotFound("document")
		}
		if d.Status != DocPending {
			return nil, nil
		}
		d.Status, d.UpdatedAt = DocInspecting, s.now()
		return []Task{{Type: TaskInspectDocument, Payload: InspectDocument{DocumentID: d.ID}}}, nil
	})
}

// canReadDocument: the owner, and staff whose work needs documents.
func canReadDocument(actor User, d Document) bool {
	return d.OwnerID == actor.ID || actor.HasAny(RoleReviewer, RoleAdmin)
}

// Document returns a document the caller may see and, once its bytes have
// passed inspection, a short-lived download URL.
func (s *Service) Document(ctx context.Context, actor User, id string) (Document, string, error) {
	d, err := s.Store.Document(ctx, id)
	if err != nil {
		return Document{}, "", err
	}
	if !canReadDocument(actor, d) {
		return Document{}, "", NotFound("document")
	}
	if d.Status != DocAccepted {
		return d, "", nil
	}
	url, err := s.Objects.PresignDownload(ctx, d.ObjectKey, s.DownloadTTL)
	if err != nil {
		return Document{}, "", err
	}
	return d, url, nil
}

// Documents lists the caller's own documents.
func (s *Service) Documents(ctx context.Context, actor User, page Page) ([]Document, string, error) {
	return s.Store.Documents(ctx, actor.ID, page)
}

// InspectDocument checks an uploaded document's bytes against its
// declaration and decides it. It is idempotent: a redelivered task finds the
// decision made and only makes sure a rejected file's bytes are gone.
func (s *Service) InspectDocument(ctx context.Context, id string) error {
	d, err := s.Store.Document(ctx, id)
	if err != nil {
		return err
	}
	switch d.Status {
	case DocRejected:
		return s.Objects.Delete(ctx, d.ObjectKey)
	case DocInspecting:
	default:
		return nil
	}
	var reason string
	info, err := s.Objects.Inspect(ctx, d.ObjectKey)
	switch {
	case ErrorKind(err) == KindNotFound:
		reason = RejectNotUploaded
	case err != nil:
		return err
	default:
		reason = d.inspect(info, filetype.Detect(info.Head))
	}
	d, err = s.Store.UpdateDocument(ctx, id, func(d *Document) ([]Task, error) {
		if d.Status != DocInspecting {
			return nil, nil
		}
		now := s.now()
		d.UpdatedAt, d.InspectedAt = now, &now
		note := NotifyRequest{
			UserID: d.OwnerID, Params: map[string]string{"kind": string(d.Kind)},
			Link: "anju://documents/" + d.ID,
		}
		if reason == "" {
			d.Status = DocAccepted
			note.Template, note.EventID = "document.accepted", "document.accepted:"+d.ID
		} else {
			d.Status, d.RejectReason = DocRejected, reason
			note.Template, note.EventID = "document.rejected", "document.rejected:"+d.ID
			note.Params["reason"] = reason
		}
		return []Task{{Type: TaskSendNotification, Payload: note}}, nil
	})
	if err != nil {
		return err
	}
	if d.Status == DocRejected {
		return s.Objects.Delete(ctx, d.ObjectKey)
	}
	return nil
}
