package talent

import "github.com/google/uuid"

// NewID returns a new time-ordered identifier (UUID v7).
func NewID() string { return uuid.Must(uuid.NewV7()).String() }
