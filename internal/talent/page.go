package talent

// Page asks for one page of a list: Cursor is opaque, from the previous page.
type Page struct {
	Cursor string
	Limit  int
}
