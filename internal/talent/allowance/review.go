package allowance

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// Review figures a package may set as parameters, and their defaults.
const (
	defaultSupplementWindowDays = 10 // working days a returned claim waits for the graduate
	defaultMaxReturns           = 2  // returns for supplement per claim
	defaultPublicityDays        = 5  // working days an approval stays on public notice
)

// figure reads a package parameter, or its default when the package has none.
func figure(pkg policy.Package, name string, def int) int {
	if v, ok := pkg.IntParam(name); ok && v >= 0 {
		return int(v)
	}
	return def
}

// QueueSort orders the review queue.
type QueueSort string

// Queue orders.
const (
	SortByDeadline   QueueSort = "deadline"   // earliest due first
	SortBySubmission QueueSort = "submission" // earliest submitted first
)

// QueueFilter narrows the review queue. Zero values do not filter.
type QueueFilter struct {
	Status ClaimStatus
	// Name matches the start of the applicant's name; PersonIndex is the
	// blind index of an exact national ID number. At most one is set.
	Name          string
	PersonIndex   string
	EmployerID    string
	Package       policy.ID
	Overdue       bool
	Now           time.Time // what overdue is measured against
	SubmittedFrom time.Time
	SubmittedTo   time.Time
	// Assignee is a reviewer's user id, or AssigneeNone.
	Assignee string
	Sort     QueueSort
}

// AssigneeNone filters the queue to claims nobody has taken.
const AssigneeNone = "none"

// QueueItem is a claim as the queue lists it, with whom it is from.
type QueueItem struct {
	Claim
	ApplicantName string
}

// Queue lists claims for reviewers, by the filter's order. q is a name or
// an exact national ID number; a number is matched by its blind index only,
// never by a search on the number itself.
func (s *Service) Queue(ctx context.Context, actor talent.User, f QueueFilter, q string, page talent.Page) ([]QueueItem, string, error) {
	if err := actor.Require(talent.ReviewRoles...); err != nil {
		return nil, "", err
	}
	if f.Status == "" {
		f.Status = ClaimUnderReview
	}
	if f.Sort == "" {
		f.Sort = SortByDeadline
	}
	if f.Assignee == "me" {
		f.Assignee = actor.ID
	}
	f.Now = s.now()
	who, ok := talent.SearchPerson(q, f.Now, s.Vault)
	if !ok {
		return nil, "", nil
	}
	f.Name, f.PersonIndex = who.NamePrefix, who.NationalIDIndex
	return s.ClaimStore.ReviewQueue(ctx, f, page)
}

// decide makes sure a reviewer may decide a claim: one nobody has taken is
// taken by the reviewer who decides it; one another reviewer took is not
// theirs to decide until they take it over.
func decide(c *Claim, actor talent.User) error {
	if actor.IsSystem() || !actor.HasAny(talent.ReviewRoles...) {
		return nil // who may decide at all is the state machine's answer
	}
	switch c.AssigneeID {
	case "":
		c.AssigneeID = actor.ID
	case actor.ID:
	default:
		return assignedError(c.AssigneeID)
	}
	return nil
}

func assignedError(assignee string) error {
	err := talent.Errorf(talent.KindConflict, CodeClaimAssigned, "the claim is assigned to %s; take it over first", assignee)
	err.Params = map[string]string{"assigneeId": assignee}
	return err
}

// Assign gives a claim to a reviewer: the caller takes it, or a lead
// reviewer gives it to someone. A claim another reviewer holds changes hands
// only with takeOver, and the take-over is recorded in the audit.
func (s *Service) Assign(ctx context.Context, actor talent.User, id, assignee string, takeOver bool) (Claim, error) {
	if err := actor.Require(talent.ReviewRoles...); err != nil {
		return Claim{}, err
	}
	if assignee == "" {
		assignee = actor.ID
	}
	if assignee != actor.ID {
		if err := actor.Require(talent.RoleLeadReviewer); err != nil {
			return Claim{}, err
		}
		u, err := s.Staff.User(ctx, assignee)
		if err != nil && talent.ErrorKind(err) != talent.KindNotFound {
			return Claim{}, err
		}
		if err != nil || !u.HasAny(talent.RoleReviewer, talent.RoleLeadReviewer) {
			return Claim{}, talent.Field("assigneeId", CodeAssigneeNotReviewer)
		}
	}
	return s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
		if c.UserID == assignee {
			return ClaimChange{}, talent.Errorf(talent.KindForbidden, CodeOwnClaim, "nobody reviews their own claim")
		}
		switch c.Status {
		case ClaimSubmitted, ClaimAwaitingEmployer, ClaimUnderReview, ClaimReturned:
		default:
			return ClaimChange{}, talent.Errorf(talent.KindConflict, CodeClaimStatusConflict, "a %s claim is not assigned", c.Status)
		}
		event := EventAssign
		switch {
		case c.AssigneeID == assignee:
			return ClaimChange{}, nil
		case c.AssigneeID != "" && !takeOver:
			return ClaimChange{}, assignedError(c.AssigneeID)
		case c.AssigneeID != "":
			event = EventTakeOver
		}
		now := s.now()
		audit := ClaimAudit{ClaimID: c.ID, At: now, ActorID: actor.ID, Event: event, From: c.Status, To: c.Status,
			Reason: strings.TrimSpace("to " + assignee + " from " + c.AssigneeID)}
		c.AssigneeID, c.UpdatedAt = assignee, now
		change := ClaimChange{Audit: []ClaimAudit{audit}}
		if assignee != actor.ID {
			change.Tasks = append(change.Tasks, talent.NotifyRequest{
				UserID: assignee, EventID: "claim.assigned:" + c.ID + ":" + now.Format(time.RFC3339Nano), Template: "claim.assigned",
				Texts: map[string]talent.Text{"package": talent.Text(c.Package.Name())}, Link: "anju://review/claims/" + c.ID,
			})
		}
		return change, nil
	})
}

// Return sends a claim under review back to the graduate for supplement
// (reviewer): each item names what is at fault and why. The review deadline
// pauses; the graduate has the package's supplement window; a claim is
// returned at most the package's max_returns times.
func (s *Service) Return(ctx context.Context, actor talent.User, id string, items []ReturnItem) (Claim, error) {
	if err := actor.Require(talent.ReviewRoles...); err != nil {
		return Claim{}, err
	}
	if err := validReturnItems(items); err != nil {
		return Claim{}, err
	}
	c, err := s.ClaimStore.Claim(ctx, id)
	if err != nil {
		return Claim{}, err
	}
	if c.PolicyVersion == 0 {
		return Claim{}, talent.Errorf(talent.KindConflict, CodeClaimStatusConflict, "only a submitted claim is returned")
	}
	pkg, err := s.Catalog.Package(ctx, c.Package, c.PolicyVersion)
	if err != nil {
		return Claim{}, err
	}
	return s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
		if err := decide(c, actor); err != nil {
			return ClaimChange{}, err
		}
		if max := figure(pkg, "max_returns", defaultMaxReturns); c.Returns >= max && c.Status == ClaimUnderReview {
			return ClaimChange{}, talent.Errorf(talent.KindConflict, CodeReturnLimit, "a claim is returned at most %d times", max)
		}
		now := s.now()
		paused := c.DueAt
		change, err := s.transition(c, EventReturn, actor, returnSummary(items), now, StageNone, false)
		if err != nil {
			return ClaimChange{}, err
		}
		due := s.Calendar.AddWorkingDays(now, figure(pkg, "supplement_window_days", defaultSupplementWindowDays))
		c.Stage, c.DueAt = StageSupplement, &due
		c.Returns, c.ReturnItems, c.ReturnedAt, c.PausedDueAt = c.Returns+1, items, &now, paused
		return change, nil
	})
}

func validReturnItems(items []ReturnItem) error {
	var fields []talent.FieldError
	if len(items) == 0 || len(items) > 20 {
		fields = append(fields, talent.FieldError{Field: "items", Code: talent.CodeLength})
	}
	for i, it := range items {
		prefix := "items[" + strconv.Itoa(i) + "]."
		kind, ok := strings.CutPrefix(it.Target, "documents.")
		validTarget := ok && talent.DocumentKind(kind).Valid() || slices.Contains(declarationTargets, it.Target)
		if !validTarget {
			fields = append(fields, talent.FieldError{Field: prefix + "target", Code: CodeReturnTarget})
		}
		hasText := strings.TrimSpace(it.Text.ZH) != "" || strings.TrimSpace(it.Text.EN) != ""
		switch {
		case it.Code != "" && !slices.Contains(ReturnCodes, it.Code):
			fields = append(fields, talent.FieldError{Field: prefix + "code", Code: CodeReturnCodeUnknown})
		case it.Code == "" && !hasText:
			fields = append(fields, talent.FieldError{Field: prefix + "text", Code: talent.CodeRequired})
		case utf8.RuneCountInString(it.Text.ZH) > 500 || utf8.RuneCountInString(it.Text.EN) > 500:
			fields = append(fields, talent.FieldError{Field: prefix + "text", Code: talent.CodeTextTooLong})
		}
	}
	if len(fields) > 0 {
		return talent.Invalid(fields...)
	}
	return nil
}

// declarationTargets are the declarations a return may name.
var declarationTargets = []string{
	"declarations.ownsHomeInCity", "declarations.publicRentalHousing", "declarations.monthlyRent", "declarations.topSchool",
	"profile.education", "profile.hukouPlace", "profile.employer", "profile.bankAccount",
}

// returnSummary is the audit's reason for a return: what it asked for.
func returnSummary(items []ReturnItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = strings.TrimSpace(it.Target + " " + it.Code)
	}
	return strings.Join(parts, "; ")
}

// UpdateDeclarations replaces a draft's or a returned claim's declarations
// (the claim's owner).
func (s *Service) UpdateDeclarations(ctx context.Context, actor talent.User, id string, decl Declarations) (Claim, error) {
	if decl.MonthlyRent < 0 {
		return Claim{}, talent.Field("declarations.monthlyRent", talent.CodeRange)
	}
	return s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
		if err := editable(c, actor); err != nil {
			return ClaimChange{}, err
		}
		c.Declarations, c.UpdatedAt = decl, s.now()
		return ClaimChange{Touched: true}, nil
	})
}

// DetachDocument takes a document off a draft or a returned claim (its owner).
func (s *Service) DetachDocument(ctx context.Context, actor talent.User, id, documentID string) (ClaimView, error) {
	_, err := s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
		if err := editable(c, actor); err != nil {
			return ClaimChange{}, err
		}
		c.UpdatedAt = s.now()
		return ClaimChange{DetachDocuments: []string{documentID}, Touched: true}, nil
	})
	if err != nil {
		return ClaimView{}, err
	}
	return s.Claim(ctx, actor, id)
}

// editable checks that the owner may change a claim's contents.
func editable(c *Claim, actor talent.User) error {
	if c.UserID != actor.ID {
		return talent.NotFound(CodeClaimNotFound)
	}
	if c.Status != ClaimDraft && c.Status != ClaimReturned {
		return talent.Errorf(talent.KindConflict, CodeClaimStatusConflict, "only a draft or a returned claim is edited")
	}
	return nil
}

// LapseReturns closes returned claims whose supplement window passed, with
// notice to the graduate (periodic job).
func (s *Service) LapseReturns(ctx context.Context) error {
	start := s.now()
	return talent.SweepIDs(ctx, "claims:lapse_returns",
		func(ctx context.Context, after string) ([]string, error) {
			return s.ClaimStore.ReturnsDue(ctx, start, after)
		},
		func(ctx context.Context, id string) error {
			_, err := s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
				now := s.now()
				if c.Status != ClaimReturned || c.DueAt == nil || c.DueAt.After(now) {
					return ClaimChange{}, nil // submitted again since
				}
				c.PausedDueAt = nil
				return s.transition(c, EventLapse, talent.System, "the supplement window passed", now, StageNone, false)
			})
			return err
		})
}

// ApplicantLease is a lease of the applicant's, as the review view shows it.
type ApplicantLease struct {
	ID       string
	UnitID   string
	Status   string
	StartsOn time.Time
	EndsOn   time.Time
}

// EarlierClaim is another claim of the same person, as the review view shows it.
type EarlierClaim struct {
	ID          string
	Package     policy.ID
	Status      ClaimStatus
	SubmittedAt *time.Time
}

// Applicant is who a claim is from, as a reviewer needs to see it to match
// documents to a person: masked where a reviewer does not need more.
type Applicant struct {
	UserID           string
	Name             string
	NationalIDMasked string
	Age              int // on the claim's date
	Education        []talent.Education
	HukouPlace       string // the household registration at graduation
	TalentTier       string
	Employment       *talent.Employment
	EmployerName     string
	// SocialInsuranceMonths come from the employer's confirmation: the
	// consecutive months since SocialInsuranceStart, to the claim's date.
	SocialInsuranceMonths int
	SocialInsuranceSource string
	EarlierClaims         []EarlierClaim
	Leases                []ApplicantLease
}

// ReviewView is a claim with its applicant and documents ready to preview.
type ReviewView struct {
	ClaimView
	Applicant Applicant
	// PreviewURLs are short-lived links to each accepted document, by id.
	PreviewURLs map[string]string
}

// ReviewClaim returns a claim as a reviewer decides it: the applicant, each
// document with a short-lived preview link, the trace, the schedule and the
// audit. The view is written to the access log first: no log, no view.
func (s *Service) ReviewClaim(ctx context.Context, actor talent.User, id string) (ReviewView, error) {
	if err := actor.Require(talent.ReviewRoles...); err != nil {
		return ReviewView{}, err
	}
	v, err := s.Claim(ctx, actor, id)
	if err != nil {
		return ReviewView{}, err
	}
	if err := s.AccessLog.Record(ctx, talent.Access{At: s.now(), ActorID: actor.ID, SubjectID: v.UserID,
		What: talent.AccessReviewClaim, ObjectID: v.ID}); err != nil {
		return ReviewView{}, err
	}
	out := ReviewView{ClaimView: v, PreviewURLs: map[string]string{}}
	if out.Applicant, err = s.applicant(ctx, v.Claim); err != nil {
		return ReviewView{}, err
	}
	for _, d := range v.Documents {
		// Only the inspected bytes are ever shown (see InspectedKeyOf).
		if d.Status != talent.DocAccepted || d.InspectedKey == "" {
			continue
		}
		url, err := s.Objects.PresignDownload(ctx, d.InspectedKey, s.PreviewTTL)
		if err != nil {
			return ReviewView{}, err
		}
		out.PreviewURLs[d.ID] = url
	}
	return out, nil
}

func (s *Service) applicant(ctx context.Context, c Claim) (Applicant, error) {
	p, err := s.People.Person(ctx, c.UserID)
	if err != nil {
		return Applicant{}, err
	}
	on := c.CreatedAt
	if c.SubmittedAt != nil {
		on = *c.SubmittedAt
	}
	a := Applicant{UserID: c.UserID, Name: p.Name, NationalIDMasked: p.NationalIDMasked, Education: p.Education,
		HukouPlace: p.HukouPlace, TalentTier: p.TalentTier}
	if p.BirthDate != nil {
		a.Age = policy.Age(*p.BirthDate, policy.Civil(on))
	}
	if p.Employer != nil {
		a.EmployerName = p.Employer.Name
	}
	emp, err := s.Employments.CurrentEmployment(ctx, c.UserID)
	switch {
	case talent.ErrorKind(err) == talent.KindNotFound:
	case err != nil:
		return Applicant{}, err
	default:
		a.Employment = &emp
		if emp.Status == talent.EmploymentConfirmed && emp.SocialInsuranceStart != nil {
			a.SocialInsuranceMonths = max(0, wholeMonths(*emp.SocialInsuranceStart, firstOfMonth(policy.Civil(on))))
			a.SocialInsuranceSource = "employer_confirmation"
		}
	}
	if a.EarlierClaims, err = s.ClaimStore.PersonClaims(ctx, c.PersonIndex, c.ID); err != nil {
		return Applicant{}, err
	}
	if a.Leases, err = s.Leases.LeasesOf(ctx, c.UserID); err != nil {
		return Applicant{}, err
	}
	return a, nil
}
