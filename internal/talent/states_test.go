package talent_test

import (
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
)

func TestDocumentTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, talent.DocumentTransitions,
		[]talent.DocumentStatus{talent.DocPending, talent.DocInspecting, talent.DocAccepted, talent.DocRejected},
		[]talent.DocumentEvent{talent.DocComplete, talent.DocAccept, talent.DocReject},
		map[talent.DocumentStatus]map[talent.DocumentEvent]talent.DocumentStatus{
			talent.DocPending:    {talent.DocComplete: talent.DocInspecting},
			talent.DocInspecting: {talent.DocAccept: talent.DocAccepted, talent.DocReject: talent.DocRejected},
		})
}

var employmentStatuses = []talent.EmploymentStatus{talent.EmploymentPending, talent.EmploymentConfirmed,
	talent.EmploymentRejected, talent.EmploymentSuperseded, talent.EmploymentEnded}

var employmentRules = map[talent.EmploymentStatus]map[talent.EmploymentEvent]talent.EmploymentStatus{
	talent.EmploymentPending: {talent.EmploymentConfirm: talent.EmploymentConfirmed, talent.EmploymentReject: talent.EmploymentRejected,
		talent.EmploymentSupersede: talent.EmploymentSuperseded},
	talent.EmploymentConfirmed: {talent.EmploymentSupersede: talent.EmploymentSuperseded, talent.EmploymentEnd: talent.EmploymentEnded},
}

func TestEmploymentTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, talent.EmploymentTransitions, employmentStatuses,
		[]talent.EmploymentEvent{talent.EmploymentConfirm, talent.EmploymentReject, talent.EmploymentSupersede, talent.EmploymentEnd},
		employmentRules)
}

// The methods HR calls go through the table: each succeeds exactly where the
// rules allow its event, and refuses elsewhere without changing anything.
func TestEmploymentMethodsFollowTheTable(t *testing.T) {
	t.Parallel()
	hr := talent.User{ID: "hr", Roles: []talent.RoleGrant{{Role: talent.RoleHR, EmployerID: "e1"}}}
	now := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	methods := map[talent.EmploymentEvent]func(*talent.Employment) error{
		talent.EmploymentConfirm: func(e *talent.Employment) error {
			return e.Confirm(hr, talent.Confirmation{ContractStart: day(2026, 1, 1), ContractEnd: day(2028, 12, 31), SocialInsuranceStart: day(2026, 1, 1)}, now)
		},
		talent.EmploymentReject: func(e *talent.Employment) error { return e.Reject(hr, "没有此人", now) },
		talent.EmploymentEnd:    func(e *talent.Employment) error { return e.End(hr, day(2026, 11, 1), now) },
	}
	for _, from := range employmentStatuses {
		for ev, call := range methods {
			e := talent.Employment{ID: "x", UserID: "g", EmployerID: "e1", Status: from, ContractStart: ptr(day(2026, 1, 1))}
			err := call(&e)
			to, ok := employmentRules[from][ev]
			if ok && (err != nil || e.Status != to) {
				t.Errorf("%s from %s: %v, status %s; want %s", ev, from, err, e.Status, to)
			}
			if !ok && (talent.ErrorKind(err) != talent.KindConflict || e.Status != from) {
				t.Errorf("%s from %s: want a conflict and no change, got %v, status %s", ev, from, err, e.Status)
			}
		}
	}
	// HR of another employer cannot even see it.
	e := talent.Employment{ID: "x", UserID: "g", EmployerID: "e2", Status: talent.EmploymentPending}
	if err := methods[talent.EmploymentReject](&e); talent.ErrorKind(err) != talent.KindNotFound {
		t.Errorf("another employer's HR: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestEntryTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, talent.EntryTransitions,
		[]talent.EntryStatus{talent.EntryOpen, talent.EntryObjected, talent.EntryEnded, talent.EntryWithdrawn},
		[]talent.EntryEvent{talent.EntryObject, talent.EntryDismiss, talent.EntryUphold, talent.EntryEnd},
		map[talent.EntryStatus]map[talent.EntryEvent]talent.EntryStatus{
			talent.EntryOpen:     {talent.EntryObject: talent.EntryObjected, talent.EntryEnd: talent.EntryEnded},
			talent.EntryObjected: {talent.EntryObject: talent.EntryObjected, talent.EntryDismiss: talent.EntryOpen, talent.EntryUphold: talent.EntryWithdrawn},
		})
}

func TestObjectionTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, talent.ObjectionTransitions,
		[]talent.ObjectionStatus{talent.ObjectionOpen, talent.ObjectionUpheld, talent.ObjectionDismissed},
		[]talent.ObjectionEvent{talent.ObjectionUphold, talent.ObjectionDismiss},
		map[talent.ObjectionStatus]map[talent.ObjectionEvent]talent.ObjectionStatus{
			talent.ObjectionOpen: {talent.ObjectionUphold: talent.ObjectionUpheld, talent.ObjectionDismiss: talent.ObjectionDismissed},
		})
}

// An objection needs reasons to act on, and a decision says why; a decided
// objection is not decided again.
func TestObjectionNeedsReasonsAndIsDecidedOnce(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	for _, reasons := range []string{"", "太短", strings.Repeat("长", 1001)} {
		if _, err := talent.NewObjection("e1", "u1", reasons, now); talent.ErrorKind(err) != talent.KindInvalid {
			t.Errorf("reasons %q: %v", reasons, err)
		}
	}
	o, err := talent.NewObjection("e1", "u1", "  此人并未在该单位工作  ", now)
	if err != nil || o.Reasons != "此人并未在该单位工作" || o.Status != talent.ObjectionOpen {
		t.Fatalf("objection: %+v %v", o, err)
	}
	if err := o.Resolve("r1", false, " ", now); talent.ErrorKind(err) != talent.KindInvalid || o.Status != talent.ObjectionOpen {
		t.Fatalf("a decision without a resolution: %v %s", err, o.Status)
	}
	if err := o.Resolve("r1", false, "已核实社保记录", now); err != nil || o.Status != talent.ObjectionDismissed || o.ResolvedBy != "r1" {
		t.Fatalf("dismiss: %v %+v", err, o)
	}
	if err := o.Resolve("r2", true, "改判", now); !talent.HasCode(err, talent.CodeObjectionResolved) || o.Status != talent.ObjectionDismissed {
		t.Fatalf("deciding twice: %v %s", err, o.Status)
	}
}
