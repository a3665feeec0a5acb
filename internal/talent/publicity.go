package talent

import (
	"strings"
	"time"
	"unicode/utf8"
)

// EntryKind says what a public-notice entry announces.
type EntryKind string

// Entry kinds.
const (
	EntryClaim EntryKind = "claim" // an approved allowance, before it is paid
	EntryRound EntryKind = "round" // an apartment allocated by a round's draw
)

// EntryStatus is where an entry of the public notice stands.
type EntryStatus string

// Entry statuses. Open and objected entries are listed.
const (
	EntryOpen      EntryStatus = "open"      // on notice
	EntryObjected  EntryStatus = "objected"  // an objection waits for a decision; a claim is not paid meanwhile
	EntryEnded     EntryStatus = "ended"     // the notice period is over
	EntryWithdrawn EntryStatus = "withdrawn" // an objection was upheld
)

// EntryEvent is something that happens to an entry.
type EntryEvent string

// Entry events.
const (
	EntryObject  EntryEvent = "object"  // someone objects
	EntryDismiss EntryEvent = "dismiss" // the last open objection is dismissed
	EntryUphold  EntryEvent = "uphold"  // an objection is upheld
	EntryEnd     EntryEvent = "end"     // the notice period ends without an open objection
)

// EntryTransitions is the public-notice entry state machine.
var EntryTransitions = Transitions[EntryStatus, EntryEvent]{
	EntryObject:  {From: []EntryStatus{EntryOpen, EntryObjected}, To: EntryObjected},
	EntryDismiss: {From: []EntryStatus{EntryObjected}, To: EntryOpen},
	EntryUphold:  {From: []EntryStatus{EntryObjected}, To: EntryWithdrawn},
	EntryEnd:     {From: []EntryStatus{EntryOpen}, To: EntryEnded},
}

// Entry is one line of the public notice (公示), as anyone may read it:
// nothing in it identifies a person beyond the masked name.
type Entry struct {
	ID        string // the claim's or the application's id
	Kind      EntryKind
	RoundID   string // for EntryRound
	Person    string // masked, e.g. 李*（0423）
	Employer  string
	Package   string // a policy package id, or the round's name
	Amount    int64  // fen; 0 for an apartment
	StartsAt  time.Time
	EndsAt    time.Time
	Status    EntryStatus
	CreatedAt time.Time
}

// ObjectionStatus is where an objection stands.
type ObjectionStatus string

// Objection statuses.
const (
	ObjectionOpen      ObjectionStatus = "open"
	ObjectionUpheld    ObjectionStatus = "upheld"    // the decision is reconsidered
	ObjectionDismissed ObjectionStatus = "dismissed" // the notice continues
)

// ObjectionEvent is a decision on an objection.
type ObjectionEvent string

// Objection events.
const (
	ObjectionUphold  ObjectionEvent = "uphold"
	ObjectionDismiss ObjectionEvent = "dismiss"
)

// ObjectionTransitions is the objection state machine; an objection is filed open.
var ObjectionTransitions = Transitions[ObjectionStatus, ObjectionEvent]{
	ObjectionUphold:  {From: []ObjectionStatus{ObjectionOpen}, To: ObjectionUpheld},
	ObjectionDismiss: {From: []ObjectionStatus{ObjectionOpen}, To: ObjectionDismissed},
}

// Objection is a signed-in person's objection to an entry of the notice.
type Objection struct {
	ID         string
	EntryID    string
	FiledBy    string
	Reasons    string
	Status     ObjectionStatus
	ResolvedBy string
	Resolution string
	CreatedAt  time.Time
	ResolvedAt *time.Time
}

// NewObjection validates an objection's reasons: 5 to 1000 characters, so
// that a reviewer has something to go on.
func NewObjection(entryID, by, reasons string, now time.Time) (Objection, error) {
	reasons = strings.TrimSpace(reasons)
	if n := utf8.RuneCountInString(reasons); n < 5 || n > 1000 {
		return Objection{}, Field("reasons", CodeTextLength)
	}
	return Objection{ID: NewID(), EntryID: entryID, FiledBy: by, Reasons: reasons, Status: ObjectionOpen, CreatedAt: now}, nil
}

// Resolve decides an open objection: uphold, or dismiss with a resolution
// the objector reads.
func (o *Objection) Resolve(by string, uphold bool, resolution string, now time.Time) error {
	resolution = strings.TrimSpace(resolution)
	if n := utf8.RuneCountInString(resolution); n == 0 || n > 1000 {
		return Field("resolution", CodeTextLength)
	}
	ev := ObjectionDismiss
	if uphold {
		ev = ObjectionUphold
	}
	if err := ObjectionTransitions.Apply(&o.Status, ev, CodeObjectionResolved); err != nil {
		return err
	}
	o.ResolvedBy, o.Resolution, o.ResolvedAt = by, resolution, &now
	return nil
}

// ObjectionResolved is the notification that tells an objector how their
// objection was decided.
func ObjectionResolved(o Objection) NotifyRequest {
	outcome := Text{ZH: "不予采纳", EN: "dismissed"}
	if o.Status == ObjectionUpheld {
		outcome = Text{ZH: "已采纳，将依程序重新处理", EN: "upheld; the decision is reconsidered"}
	}
	return NotifyRequest{UserID: o.FiledBy, EventID: "objection.resolved:" + o.ID, Template: "objection.resolved",
		Params: map[string]string{"resolution": o.Resolution}, Texts: map[string]Text{"outcome": outcome},
		Link: "anju://objections/" + o.ID}
}
