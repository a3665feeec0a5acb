package api

import (
	"io"
	"strings"

	"github.com/anju-city/anju/internal/sheet"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/employers"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/gofiber/fiber/v2"
)

// Body sizes. The server buffers at most jsonBodyLimit of a request before
// a handler runs; a larger body stays a stream that readBody takes only
// once the caller is known to be allowed to send it, and only up to the
// operation's limit.
const (
	jsonBodyLimit = 256 << 10
	// drainLimit is how much of a refused body is read and thrown away so
	// that the client, still sending, reads the 413 instead of a reset
	// connection. Beyond it the connection is closed.
	drainLimit = 32 << 20
)

// upload is an operation whose body is a file: who may send one (asked
// before a byte of it is read or parsed) and how large it may be.
type upload struct {
	method, path string // path segments in braces match any one segment
	limit        int
	may          func(talent.User) error
}

var uploads = []upload{
	{fiber.MethodPost, "/v1/housing/units/import", sheet.UploadLimit, housing.MayImportUnits},
	{fiber.MethodPost, "/v1/hr/filings", sheet.UploadLimit, employers.MayFile},
	{fiber.MethodPost, "/v1/finance/batches/{id}/returns", sheet.UploadLimit, allowance.MayApplyReturns},
}

// uploadFor finds the upload operation a request is for.
func uploadFor(method, path string) (upload, bool) {
	for _, u := range uploads {
		if u.method == method && matchPath(u.path, path) {
			return u, true
		}
	}
	return upload{}, false
}

func matchPath(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		if !strings.HasPrefix(p, "{") && p != xs[i] {
			return false
		}
	}
	return true
}

// guardBody runs after sign-in and before anything reads the body (the
// contract check, the idempotency hash, the handler): for a file upload it
// first asks whether the caller may upload it at all, then reads the body
// up to the operation's limit, refusing a larger one with 413.
func guardBody(c *fiber.Ctx) error {
	// Fiber inflates a gzip, deflate or brotli body with no limit on what
	// it inflates to; no operation takes a compressed body.
	if enc := c.Get(fiber.HeaderContentEncoding); enc != "" && !strings.EqualFold(enc, "identity") {
		return &talent.Error{Kind: talent.KindMalformed, Code: CodeBodyEncoding, Message: "compressed body",
			Fields: []talent.FieldError{{Field: fiber.HeaderContentEncoding, Code: CodeBodyEncoding}}}
	}
	limit := jsonBodyLimit
	if up, ok := uploadFor(c.Method(), c.Path()); ok {
		u, err := currentUser(c)
		if err != nil {
			return err
		}
		if err := up.may(u); err != nil {
			return err
		}
		limit = up.limit
	}
	if err := readBody(c, limit); err != nil {
		return err
	}
	return c.Next()
}

// readBody makes the request's body whole in memory if it is at most limit
// bytes and refuses it with 413 otherwise. A declared Content-Length over
// the limit is refused without reading; a body of unknown length is read
// only up to limit+1.
func readBody(c *fiber.Ctx, limit int) error {
	req := c.Request()
	if n := req.Header.ContentLength(); n > limit {
		return tooLarge()
	}
	if !req.IsBodyStream() {
		if len(req.Body()) > limit {
			return tooLarge()
		}
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(c.Context().RequestBodyStream(), int64(limit)+1))
	if err != nil {
		return talent.Errorf(talent.KindMalformed, CodeRequestInvalid, "reading the body: %v", err)
	}
	if len(body) > limit {
		return tooLarge()
	}
	req.SetBodyRaw(body)
	return nil
}

func tooLarge() error {
	return talent.Errorf(talent.KindTooLarge, CodeBodyTooLarge, "request body over the operation's limit")
}

// settleBody runs when a request is answered. If its body was never read
// (refused as too large, by sign-in or by role), up to drainLimit of it is
// read and discarded, so that a client still sending reads the answer
// rather than a reset; a body larger still closes the connection.
func settleBody(c *fiber.Ctx) {
	req := c.Request()
	if !req.IsBodyStream() {
		return
	}
	n, err := io.Copy(io.Discard, io.LimitReader(c.Context().RequestBodyStream(), drainLimit+1))
	if err != nil || n > drainLimit {
		c.Context().SetConnectionClose()
	}
	// Whatever was read, the request is done with its stream.
	req.SetBodyRaw(nil)
}
