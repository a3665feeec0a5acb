package postgres

import "github.com/anju-city/anju/internal/app"

// Stores gives every storage port of the application on db's pool.
func Stores(db *DB) app.Stores {
	return app.Stores{
		Users: db.Users(), Profiles: db.Profiles(), Employers: db.Employers(), Employments: db.Employments(),
		Documents: db.Documents(), Inbox: db.Inbox(), Policies: db.Policies(), Claims: db.Claims(),
		Payments: db.Payments(), Batches: db.Batches(), Clawbacks: db.Clawbacks(), Inventory: db.Inventory(),
		Rounds: db.Rounds(), Offers: db.Offers(), Leases: db.Leases(), Corrections: db.Corrections(),
		Publicity: db.Publicity(), AccessLog: db.AccessLog(), HousingLists: db.HousingLists(),
	}
}
