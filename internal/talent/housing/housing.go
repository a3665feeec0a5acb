// Package housing is the talent-apartment side of Anju: the inventory of
// properties and units (kept by housing staff, imported in bulk from a
// spreadsheet), allocation rounds with their verifiable draw, offers and the
// waitlist, and leases. It reads what it needs of graduates through small
// ports of its own.
package housing

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
)

// Layout is a unit's floor plan.
type Layout string

// Layouts.
const (
	Studio  Layout = "studio"
	OneBed  Layout = "1br"
	TwoBed  Layout = "2br"
	ThreeBd Layout = "3br"
)

// Valid reports whether l is a known layout.
func (l Layout) Valid() bool {
	switch l {
	case Studio, OneBed, TwoBed, ThreeBd:
		return true
	}
	return false
}

// UnitStatus is whether a unit can be offered.
type UnitStatus string

// Unit statuses.
const (
	UnitAvailable   UnitStatus = "available"   // free to offer
	UnitOffered     UnitStatus = "offered"     // in a live offer
	UnitLet         UnitStatus = "let"         // under a lease
	UnitMaintenance UnitStatus = "maintenance" // taken out of use by staff
)

// UnitEvent is something that happens to a unit.
type UnitEvent string

// Unit events.
const (
	UnitOffer    UnitEvent = "offer"    // a draw, a correction or staff offer a free unit
	UnitPassOn   UnitEvent = "pass_on"  // a declined or lapsed offer's unit goes to the next in line
	UnitLetOut   UnitEvent = "let"      // the offer was accepted
	UnitRelease  UnitEvent = "release"  // nobody is left to offer it to, or the tenant checked out
	UnitMaintain UnitEvent = "maintain" // staff take it out of use
	UnitRestore  UnitEvent = "restore"  // staff put it back
)

// UnitTransitions is the unit state machine. The store applies a change's
// unit events with a guarded update, so a unit is never offered twice.
var UnitTransitions = talent.Transitions[UnitStatus, UnitEvent]{
	UnitOffer:    {From: []UnitStatus{UnitAvailable}, To: UnitOffered},
	UnitPassOn:   {From: []UnitStatus{UnitOffered}, To: UnitOffered},
	UnitLetOut:   {From: []UnitStatus{UnitOffered}, To: UnitLet},
	UnitRelease:  {From: []UnitStatus{UnitOffered, UnitLet}, To: UnitAvailable},
	UnitMaintain: {From: []UnitStatus{UnitAvailable}, To: UnitMaintenance},
	UnitRestore:  {From: []UnitStatus{UnitMaintenance}, To: UnitAvailable},
}

// Property is a building or estate of talent apartments.
type Property struct {
	ID        string
	Name      string
	District  string
	Address   string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Unit is one apartment. Area is in square decimetres (0.01 m²) and the
// monthly market rent in fen.
type Unit struct {
	ID         string
	PropertyID string
	Number     string
	Layout     Layout
	AreaDM2    int
	Floor      int
	MarketRent int64
	Status     UnitStatus
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// UnitFilter narrows a unit listing.
type UnitFilter struct {
	PropertyID string
	Status     UnitStatus
}

// InventoryStore keeps properties and units. Errors: KindNotFound
// (CodePropertyNotFound, CodeUnitNotFound), KindConflict
// (CodePropertyNameTaken, CodeUnitNumberTaken), KindUnavailable.
type InventoryStore interface {
	CreateProperty(ctx context.Context, p Property) error
	UpdateProperty(ctx context.Context, p Property) error
	Property(ctx context.Context, id string) (Property, error)
	Properties(ctx context.Context, page talent.Page) ([]Property, string, error)
	// CreateUnits stores units in one transaction: all or none.
	CreateUnits(ctx context.Context, units []Unit) error
	// UpdateUnit runs fn on a unit under a row lock and saves it.
	UpdateUnit(ctx context.Context, id string, fn func(*Unit) error) (Unit, error)
	Units(ctx context.Context, f UnitFilter, page talent.Page) ([]Unit, string, error)
	// PropertiesByName resolves property names (for imports).
	PropertiesByName(ctx context.Context, names []string) (map[string]Property, error)
	// InUndrawnRound reports whether a unit waits for a round's draw.
	InUndrawnRound(ctx context.Context, unitID string) (bool, error)
}

// Service is the inventory use cases.
type Service struct {
	Inventory InventoryStore
	Clock     talent.Clock
}

func (s *Service) now() time.Time { return s.Clock.Now().UTC() }

func requireHousing(actor talent.User) error {
	return actor.Require(talent.RoleHousing)
}

// PropertyInput is a property as staff enter it.
type PropertyInput struct {
	Name, District, Address string
}

func (in *PropertyInput) validate() error {
	var fields []talent.FieldError
	for _, f := range []struct {
		name  string
		value *string
		max   int
	}{{"name", &in.Name, 64}, {"district", &in.District, 32}, {"address", &in.Address, 200}} {
		*f.value = strings.TrimSpace(*f.value)
		if n := utf8.RuneCountInString(*f.value); n == 0 || n > f.max {
			fields = append(fields, talent.FieldError{Field: f.name, Code: talent.CodeTextLength})
		}
	}
	if len(fields) > 0 {
		return talent.Invalid(fields...)
	}
	return nil
}

// CreateProperty adds a property (housing).
func (s *Service) CreateProperty(ctx context.Context, actor talent.User, in PropertyInput) (Property, error) {
	if err := requireHousing(actor); err != nil {
		return Property{}, err
	}
	if err := in.validate(); err != nil {
		return Property{}, err
	}
	now := s.now()
	p := Property{ID: talent.NewID(), Name: in.Name, District: in.District, Address: in.Address, CreatedAt: now, UpdatedAt: now}
	return p, s.Inventory.CreateProperty(ctx, p)
}

// UpdateProperty edits a property (housing).
func (s *Service) UpdateProperty(ctx context.Context, actor talent.User, id string, in PropertyInput) (Property, error) {
	if err := requireHousing(actor); err != nil {
		return Property{}, err
	}
	if err := in.validate(); err != nil {
		return Property{}, err
	}
	p, err := s.Inventory.Property(ctx, id)
	if err != nil {
		return Property{}, err
	}
	p.Name, p.District, p.Address, p.UpdatedAt = in.Name, in.District, in.Address, s.now()
	return p, s.Inventory.UpdateProperty(ctx, p)
}

// Properties lists properties; every signed-in user may see them.
func (s *Service) Properties(ctx context.Context, page talent.Page) ([]Property, string, error) {
	return s.Inventory.Properties(ctx, page)
}

// Units lists units; every signed-in user may see them.
func (s *Service) Units(ctx context.Context, f UnitFilter, page talent.Page) ([]Unit, string, error) {
	return s.Inventory.Units(ctx, f, page)
}

// UnitInput is a unit as staff enter it.
type UnitInput struct {
	Number     string
	Layout     Layout
	AreaDM2    int
	Floor      int
	MarketRent int64
	Status     UnitStatus // available or maintenance when entered by hand
}

// check validates a unit, naming fields under prefix ("" or "rows[3].").
func (in *UnitInput) check(prefix string) []talent.FieldError {
	var fields []talent.FieldError
	add := func(field string, code talent.Code) {
		fields = append(fields, talent.FieldError{Field: prefix + field, Code: code})
	}
	in.Number = strings.TrimSpace(in.Number)
	if n := utf8.RuneCountInString(in.Number); n == 0 || n > 16 {
		add("number", talent.CodeTextLength)
	}
	if !in.Layout.Valid() {
		add("layout", CodeLayoutUnknown)
	}
	if in.AreaDM2 <= 0 || in.AreaDM2 > 100000 {
		add("area", talent.CodeRange)
	}
	if in.Floor < -5 || in.Floor > 200 {
		add("floor", talent.CodeRange)
	}
	if in.MarketRent <= 0 || in.MarketRent > 10_000_000 {
		add("marketRent", talent.CodeRange)
	}
	if in.Status == "" {
		in.Status = UnitAvailable
	}
	if in.Status != UnitAvailable && in.Status != UnitMaintenance {
		add("status", CodeUnitStatus)
	}
	return fields
}

// CreateUnit adds one unit to a property (housing).
func (s *Service) CreateUnit(ctx context.Context, actor talent.User, propertyID string, in UnitInput) (Unit, error) {
	if err := requireHousing(actor); err != nil {
		return Unit{}, err
	}
	if fields := in.check(""); len(fields) > 0 {
		return Unit{}, talent.Invalid(fields...)
	}
	if _, err := s.Inventory.Property(ctx, propertyID); err != nil {
		return Unit{}, err
	}
	u := s.unit(propertyID, in)
	return u, s.Inventory.CreateUnits(ctx, []Unit{u})
}

func (s *Service) unit(propertyID string, in UnitInput) Unit {
	now := s.now()
	return Unit{ID: talent.NewID(), PropertyID: propertyID, Number: in.Number, Layout: in.Layout, AreaDM2: in.AreaDM2,
		Floor: in.Floor, MarketRent: in.MarketRent, Status: in.Status, CreatedAt: now, UpdatedAt: now}
}

// UpdateUnit edits a unit (housing). Offered and let units keep their
// status: offers and leases change it, staff only take units in and out of
// maintenance.
func (s *Service) UpdateUnit(ctx context.Context, actor talent.User, id string, in UnitInput) (Unit, error) {
	if err := requireHousing(actor); err != nil {
		return Unit{}, err
	}
	if fields := in.check(""); len(fields) > 0 {
		return Unit{}, talent.Invalid(fields...)
	}
	if in.Status == UnitMaintenance {
		// A unit promised to a round's draw stays available until the draw.
		held, err := s.Inventory.InUndrawnRound(ctx, id)
		if err != nil {
			return Unit{}, err
		}
		if held {
			return Unit{}, talent.Errorf(talent.KindConflict, CodeUnitInRound, "the unit waits for its round's draw")
		}
	}
	return s.Inventory.UpdateUnit(ctx, id, func(u *Unit) error {
		switch {
		case in.Status == UnitMaintenance && u.Status == UnitAvailable:
			u.Status, _ = UnitTransitions.Next(u.Status, UnitMaintain)
		case in.Status == UnitAvailable && u.Status == UnitMaintenance:
			u.Status, _ = UnitTransitions.Next(u.Status, UnitRestore)
		}
		// Offered and let units keep their status: offers and leases change it.
		u.Number, u.Layout, u.AreaDM2, u.Floor, u.MarketRent = in.Number, in.Layout, in.AreaDM2, in.Floor, in.MarketRent
		u.UpdatedAt = s.now()
		return nil
	})
}
