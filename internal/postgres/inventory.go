package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/jackc/pgx/v5"
)

func init() {
	constraintCodes["properties_name_key"] = housing.CodePropertyNameTaken
	constraintCodes["units_property_number_key"] = housing.CodeUnitNumberTaken
}

// Inventory is housing.InventoryStore: properties and units.
type Inventory struct{ db *DB }

// Inventory returns the inventory adapter.
func (db *DB) Inventory() Inventory { return Inventory{db} }

// CreateProperty implements housing.InventoryStore.
func (s Inventory) CreateProperty(ctx context.Context, p housing.Property) error {
	_, err := s.db.pool.Exec(ctx, `INSERT INTO properties (id, name, district, address, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, p.ID, p.Name, p.District, p.Address, p.CreatedAt, p.UpdatedAt)
	return translate(err)
}

// UpdateProperty implements housing.InventoryStore.
func (s Inventory) UpdateProperty(ctx context.Context, p housing.Property) error {
	_, err := s.db.pool.Exec(ctx, `UPDATE properties SET name = $2, district = $3, address = $4, updated_at = $5 WHERE id = $1`,
		p.ID, p.Name, p.District, p.Address, p.UpdatedAt)
	return translate(err)
}

func scanProperty(r pgx.Row) (housing.Property, error) {
	var p housing.Property
	err := r.Scan(&p.ID, &p.Name, &p.District, &p.Address, &p.CreatedAt, &p.UpdatedAt)
	return p, err
}

// Property implements housing.InventoryStore.
func (s Inventory) Property(ctx context.Context, id string) (housing.Property, error) {
	return byID(ctx, s.db.pool, id, housing.CodePropertyNotFound, scanProperty, `SELECT id, name, district, address, created_at, updated_at FROM properties WHERE id = $1`)
}

// Properties implements housing.InventoryStore.
func (s Inventory) Properties(ctx context.Context, p talent.Page) ([]housing.Property, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanProperty, func(x housing.Property) (time.Time, string) { return x.CreatedAt, x.ID },
		`SELECT id, name, district, address, created_at, updated_at FROM properties
		WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT $3`)
}

// PropertiesByName implements housing.InventoryStore.
func (s Inventory) PropertiesByName(ctx context.Context, names []string) (map[string]housing.Property, error) {
	list, err := collect(ctx, s.db.pool, scanProperty, `SELECT id, name, district, address, created_at, updated_at FROM properties WHERE name = ANY($1)`, names)
	out := make(map[string]housing.Property, len(list))
	for _, p := range list {
		out[p.Name] = p
	}
	return out, err
}

const unitColumns = `id, property_id, number, layout, area_dm2, floor, market_rent, status, created_at, updated_at`

func scanUnit(r pgx.Row) (housing.Unit, error) {
	var u housing.Unit
	err := r.Scan(&u.ID, &u.PropertyID, &u.Number, &u.Layout, &u.AreaDM2, &u.Floor, &u.MarketRent, &u.Status, &u.CreatedAt, &u.UpdatedAt)
	return u, err
}

// CreateUnits implements housing.InventoryStore.
func (s Inventory) CreateUnits(ctx context.Context, units []housing.Unit) error {
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		for _, u := range units {
			if _, err := tx.Exec(ctx, `INSERT INTO units (`+unitColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
				u.ID, u.PropertyID, u.Number, u.Layout, u.AreaDM2, u.Floor, u.MarketRent, u.Status, u.CreatedAt, u.UpdatedAt); err != nil {
				return err
			}
		}
		return nil
	})
}

// UpdateUnit implements housing.InventoryStore.
func (s Inventory) UpdateUnit(ctx context.Context, id string, fn func(*housing.Unit) error) (housing.Unit, error) {
	return update(ctx, s.db, id, housing.CodeUnitNotFound,
		func(tx pgx.Tx) (housing.Unit, error) {
			return scanUnit(tx.QueryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE id = $1 FOR UPDATE`, id))
		},
		func(u *housing.Unit) (struct{}, error) { return struct{}{}, fn(u) },
		func(tx pgx.Tx, u *housing.Unit, _ struct{}) error {
			_, err := tx.Exec(ctx, `UPDATE units SET number = $2, layout = $3, area_dm2 = $4, floor = $5, market_rent = $6,
				status = $7, updated_at = $8 WHERE id = $1`, u.ID, u.Number, u.Layout, u.AreaDM2, u.Floor, u.MarketRent, u.Status, u.UpdatedAt)
			return err
		})
}

// Units implements housing.InventoryStore, newest first.
func (s Inventory) Units(ctx context.Context, f housing.UnitFilter, p talent.Page) ([]housing.Unit, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanUnit, func(x housing.Unit) (time.Time, string) { return x.CreatedAt, x.ID },
		`SELECT `+unitColumns+` FROM units
		WHERE ($1 = '' OR property_id::text = $1) AND ($2 = '' OR status = $2) AND (created_at, id) < ($3, $4)
		ORDER BY created_at DESC, id DESC LIMIT $5`, f.PropertyID, string(f.Status))
}

// InUndrawnRound implements housing.InventoryStore.
func (s Inventory) InUndrawnRound(ctx context.Context, unitID string) (bool, error) {
	return unitInUndrawnRound(ctx, s.db.pool, unitID)
}

// unitInUndrawnRound tells whether a unit belongs to an open or closed round.
func unitInUndrawnRound(ctx context.Context, q querier, unitID string) (bool, error) {
	var held bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM round_units ru JOIN rounds r ON r.id = ru.round_id
		WHERE ru.unit_id = $1 AND r.status IN ('open', 'closed'))`, unitID).Scan(&held)
	return held, translate(err)
}
