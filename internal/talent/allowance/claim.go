package allowance

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// ClaimStatus is where an allowance claim is in its life.
type ClaimStatus string

// Claim statuses.
const (
	// ClaimDraft: being put together by the graduate; documents attach here.
	ClaimDraft ClaimStatus = "draft"
	// ClaimSubmitted: complete and waiting for the eligibility worker.
	ClaimSubmitted ClaimStatus = "submitted"
	// ClaimAwaitingEmployer: evaluation waits for HR to confirm employment.
	ClaimAwaitingEmployer ClaimStatus = "awaiting_employer"
	// ClaimUnderReview: evaluated, with a trace; a reviewer decides.
	ClaimUnderReview ClaimStatus = "under_review"
	// ClaimReturned: sent back to the graduate for supplement (退回补正); the
	// review deadline is paused until the graduate submits again.
	ClaimReturned ClaimStatus = "returned"
	// ClaimLapsed: returned and not submitted again within the window.
	ClaimLapsed ClaimStatus = "lapsed"
	// ClaimApproved: granted and on public notice (公示); nothing is paid
	// until the notice ends without an objection upheld.
	ClaimApproved ClaimStatus = "approved"
	// ClaimRejected: refused with a reason; may be appealed once.
	ClaimRejected ClaimStatus = "rejected"
	// ClaimWithdrawn: the graduate gave up the claim.
	ClaimWithdrawn ClaimStatus = "withdrawn"
	// ClaimActive: paying according to the schedule.
	ClaimActive ClaimStatus = "active"
	// ClaimSuspended: payments held because continuing eligibility failed.
	ClaimSuspended ClaimStatus = "suspended"
	// ClaimCompleted: everything due was paid.
	ClaimCompleted ClaimStatus = "completed"
)

// statusNames are the statuses in the texts graduates read.
var statusNames = map[ClaimStatus]talent.Text{
	ClaimDraft:            {ZH: "草稿", EN: "draft"},
	ClaimSubmitted:        {ZH: "已提交，正在审核材料", EN: "submitted; documents are being checked"},
	ClaimAwaitingEmployer: {ZH: "等待用人单位确认", EN: "waiting for your employer to confirm"},
	ClaimUnderReview:      {ZH: "审核中", EN: "under review"},
	ClaimReturned:         {ZH: "已退回补正，请按要求补充后重新提交", EN: "returned for supplement; add what is asked and submit again"},
	ClaimLapsed:           {ZH: "未在期限内补正，申请已失效", EN: "lapsed: it was not submitted again in time"},
	ClaimApproved:         {ZH: "已通过，正在公示", EN: "approved; on public notice"},
	ClaimRejected:         {ZH: "未通过", EN: "rejected"},
	ClaimWithdrawn:        {ZH: "已撤回", EN: "withdrawn"},
	ClaimActive:           {ZH: "发放中", EN: "being paid"},
	ClaimSuspended:        {ZH: "已暂停发放", EN: "payments suspended"},
	ClaimCompleted:        {ZH: "已发放完毕", EN: "paid in full"},
}

// ClaimEvent is something that happens to a claim.
type ClaimEvent string

// Claim events.
const (
	EventSubmit            ClaimEvent = "submit"             // graduate, from a draft or after a return
	EventWaitForEmployer   ClaimEvent = "wait_for_employer"  // system: employment not confirmed yet
	EventEmployerConfirmed ClaimEvent = "employer_confirmed" // system: HR answered
	EventEvaluate          ClaimEvent = "evaluate"           // system: decision and trace recorded
	EventApprove           ClaimEvent = "approve"            // reviewer
	EventReject            ClaimEvent = "reject"             // reviewer
	EventReturn            ClaimEvent = "return"             // reviewer: back to the graduate for supplement
	EventLapse             ClaimEvent = "lapse"              // system: the supplement window passed
	EventReopen            ClaimEvent = "reopen"             // reviewer: an objection to the approval was upheld
	EventWithdraw          ClaimEvent = "withdraw"           // graduate
	EventAppeal            ClaimEvent = "appeal"             // graduate, once, after a rejection
	EventActivate          ClaimEvent = "activate"           // system: the notice ended; schedule created
	EventSuspend           ClaimEvent = "suspend"            // system or reviewer
	EventResume            ClaimEvent = "resume"             // system or reviewer
	EventComplete          ClaimEvent = "complete"           // system: all paid
)

// Audit-only events: they change who holds a claim, not its status, and are
// recorded in the audit beside the transitions.
const (
	EventAssign   ClaimEvent = "assign"    // a reviewer takes the claim, or a lead reviewer gives it
	EventTakeOver ClaimEvent = "take_over" // a reviewer takes a claim another one held
	// EventObjection is an objection filed to an approval on notice;
	// EventObjectionDismissed its dismissal (an upheld one reopens the claim).
	EventObjection          ClaimEvent = "objection"
	EventObjectionDismissed ClaimEvent = "objection_dismissed"
)

// actorKind says who may cause an event.
type actorKind int

const (
	byGraduate actorKind = iota // the claim's owner
	bySystem                    // a worker
	byReviewer                  // a reviewer (or admin)
	bySystemOrReviewer
)

// transition is one row of the claim state machine.
type transition struct {
	from []ClaimStatus
	to   ClaimStatus
	by   actorKind
}

// claimTransitions is the whole state machine on one screen.
var claimTransitions = map[ClaimEvent]transition{
	EventSubmit:            {[]ClaimStatus{ClaimDraft, ClaimReturned}, ClaimSubmitted, byGraduate},
	EventWaitForEmployer:   {[]ClaimStatus{ClaimSubmitted}, ClaimAwaitingEmployer, bySystem},
	EventEmployerConfirmed: {[]ClaimStatus{ClaimAwaitingEmployer}, ClaimSubmitted, bySystem},
	EventEvaluate:          {[]ClaimStatus{ClaimSubmitted}, ClaimUnderReview, bySystem},
	EventApprove:           {[]ClaimStatus{ClaimUnderReview}, ClaimApproved, byReviewer},
	EventReject:            {[]ClaimStatus{ClaimUnderReview}, ClaimRejected, byReviewer},
	EventReturn:            {[]ClaimStatus{ClaimUnderReview}, ClaimReturned, byReviewer},
	EventLapse:             {[]ClaimStatus{ClaimReturned}, ClaimLapsed, bySystem},
	EventReopen:            {[]ClaimStatus{ClaimApproved}, ClaimUnderReview, byReviewer},
	EventWithdraw:          {[]ClaimStatus{ClaimDraft, ClaimSubmitted, ClaimAwaitingEmployer, ClaimUnderReview, ClaimReturned}, ClaimWithdrawn, byGraduate},
	EventAppeal:            {[]ClaimStatus{ClaimRejected}, ClaimSubmitted, byGraduate},
	EventActivate:          {[]ClaimStatus{ClaimApproved}, ClaimActive, bySystem},
	EventSuspend:           {[]ClaimStatus{ClaimActive}, ClaimSuspended, bySystemOrReviewer},
	EventResume:            {[]ClaimStatus{ClaimSuspended}, ClaimActive, bySystemOrReviewer},
	EventComplete:          {[]ClaimStatus{ClaimActive}, ClaimCompleted, bySystem},
}

// Claim is a graduate's application for one allowance package.
type Claim struct {
	ID     string
	UserID string
	// PersonIndex is the blind index of the claimant's national ID number:
	// one live claim per package per person, across accounts.
	PersonIndex   string
	Package       policy.ID
	PolicyVersion int // the version in force on the submission date; 0 until submitted
	Status        ClaimStatus
	Appealed      bool
	Declarations  Declarations
	// Decision is the latest evaluation, with its trace; nil until evaluated.
	Decision     *policy.Decision
	Stage        Stage
	DueAt        *time.Time
	EscalatedAt  *time.Time
	Breaches     int // stages that went past their deadline
	RejectCode   string
	RejectReason string
	SubmittedAt  *time.Time
	DecidedAt    *time.Time
	DecidedBy    string // the reviewer who approved or rejected
	FirstPaidAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// AssigneeID is the reviewer the claim is with; "" when nobody took it.
	AssigneeID string
	// EmployerID is the employer of the employment the claim was evaluated with.
	EmployerID string
	// Returns counts the returns for supplement; ReturnItems are what the
	// latest asked for. While returned, PausedDueAt holds the review
	// deadline, which resumes later by the time the claim was away.
	Returns     int
	ReturnItems []ReturnItem
	ReturnedAt  *time.Time
	PausedDueAt *time.Time
	// NoticeUntil ends the public notice of an approval; ObjectionsOpen
	// counts objections not decided yet, which hold the claim on notice.
	NoticeUntil    *time.Time
	ObjectionsOpen int
}

// ReturnItem is one thing a return for supplement asks for: the document
// kind ("documents.diploma") or declaration ("declarations.monthlyRent") at
// fault, and what is wrong, by code from ReturnCodes, in words, or both.
type ReturnItem struct {
	Target string      `json:"target"`
	Code   string      `json:"code,omitempty"`
	Text   talent.Text `json:"text,omitempty"`
}

// ReturnCodes are the reasons a reviewer may give for a return item.
var ReturnCodes = []string{
	"missing",      // 缺少材料
	"illegible",    // 材料不清晰
	"expired",      // 材料已过期
	"mismatch",     // 材料与申报不符
	"incomplete",   // 材料不完整
	"inconsistent", // 申报信息前后不一致
	"other",        // 其他
}

// Declarations are what the graduate states with a claim; reviewers check
// them against the registers.
type Declarations struct {
	OwnsHomeInCity      bool  `json:"ownsHomeInCity"`
	PublicRentalHousing bool  `json:"publicRentalHousing"`
	MonthlyRent         int64 `json:"monthlyRent,omitempty"` // fen, rent claims
	TopSchool           bool  `json:"topSchool,omitempty"`
}

// ClaimAudit is one append-only record of a transition.
type ClaimAudit struct {
	ClaimID string
	At      time.Time
	ActorID string
	Event   ClaimEvent
	From    ClaimStatus
	To      ClaimStatus
	Reason  string
}

// Apply performs event on the claim as actor and returns the audit row to
// append. It checks who may cause the event and from which statuses, and
// returns talent.KindConflict for an event the current status does not allow and
// talent.KindNotFound or talent.KindForbidden for an actor who may not act.
func (c *Claim) Apply(event ClaimEvent, actor talent.User, reason string, now time.Time) (ClaimAudit, error) {
	t, ok := claimTransitions[event]
	if !ok {
		return ClaimAudit{}, talent.Errorf(talent.KindInvalid, CodeClaimEventUnknown, "unknown claim event %q", event)
	}
	if err := c.allowed(t.by, actor); err != nil {
		return ClaimAudit{}, err
	}
	if !statusIn(c.Status, t.from) {
		return ClaimAudit{}, talent.Errorf(talent.KindConflict, CodeClaimStatusConflict, "cannot %s a claim that is %s", event, c.Status)
	}
	reason = strings.TrimSpace(reason)
	if (event == EventReject || event == EventSuspend || event == EventReopen) && reason == "" {
		return ClaimAudit{}, talent.Invalid(talent.FieldError{Field: "reason", Code: talent.CodeRequired})
	}
	if utf8.RuneCountInString(reason) > 1000 {
		return ClaimAudit{}, talent.Invalid(talent.FieldError{Field: "reason", Code: talent.CodeTextTooLong})
	}
	switch event {
	case EventAppeal:
		if c.Appealed {
			return ClaimAudit{}, talent.Errorf(talent.KindConflict, CodeClaimAlreadyAppealed, "a claim may be appealed once")
		}
		c.Appealed = true
	case EventSubmit:
		if c.SubmittedAt == nil { // a submission after a return keeps the first one's date
			c.SubmittedAt = &now
		}
	case EventApprove, EventReject:
		c.DecidedAt, c.DecidedBy = &now, actor.ID
	}
	audit := ClaimAudit{ClaimID: c.ID, At: now, ActorID: actor.ID, Event: event, From: c.Status, To: t.to, Reason: reason}
	c.Status, c.UpdatedAt = t.to, now
	return audit, nil
}

// allowed checks the actor against who may cause an event. Another
// graduate's claim is not found rather than forbidden.
func (c *Claim) allowed(by actorKind, actor talent.User) error {
	system := actor.IsSystem()
	reviewer := actor.HasAny(talent.ReviewRoles...)
	switch by {
	case byGraduate:
		if actor.ID != c.UserID {
			return talent.NotFound(CodeClaimNotFound)
		}
	case bySystem:
		if !system {
			return talent.Forbidden("only the system may do this")
		}
	case byReviewer:
		if !reviewer {
			return talent.Forbidden("requires the reviewer role")
		}
		if actor.ID == c.UserID {
			return talent.Errorf(talent.KindForbidden, CodeOwnClaim, "nobody decides their own claim")
		}
	case bySystemOrReviewer:
		if !system && !reviewer {
			return talent.Forbidden("requires the reviewer role")
		}
	}
	return nil
}

func statusIn(s ClaimStatus, list []ClaimStatus) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// NextStep tells the graduate what happens next with the claim, so that the
// app never depends on a notification to find something.
func (c Claim) NextStep() talent.Step {
	switch c.Status {
	case ClaimDraft:
		return talent.Step{Name: "submit", Actor: "graduate"}
	case ClaimSubmitted:
		return talent.Step{Name: "documents_check", Actor: "office", DueAt: c.DueAt}
	case ClaimAwaitingEmployer:
		return talent.Step{Name: "employer_confirmation", Actor: "employer", DueAt: c.DueAt}
	case ClaimUnderReview:
		return talent.Step{Name: "review", Actor: "office", DueAt: c.DueAt}
	case ClaimReturned:
		return talent.Step{Name: "supplement", Actor: "graduate", DueAt: c.DueAt}
	case ClaimApproved:
		return talent.Step{Name: "public_notice", Actor: "office", DueAt: c.NoticeUntil}
	case ClaimRejected:
		if !c.Appealed {
			return talent.Step{Name: "appeal", Actor: "graduate"}
		}
	case ClaimActive:
		return talent.Step{Name: "payment", Actor: "finance", DueAt: c.DueAt}
	case ClaimSuspended:
		return talent.Step{Name: "update_employment", Actor: "graduate"}
	}
	return talent.Step{}
}
