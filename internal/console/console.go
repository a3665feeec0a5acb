// Package console serves the staff console (the Vue app built from
// console/ into dist/app by Vite) at /console/ and the API reference at
// /docs, both from files embedded in the binary: a city intranet with no
// way out still gets every script, style and font.
//
// Hashed assets never change under their name, so they are cached for a
// year; the index and the docs page are revalidated on every load so that a
// new release is picked up at once. Every page carries a Content-Security-
// Policy that allows scripts only from this origin (and Google's reCAPTCHA
// where staff sign in by phone at the real Firebase Auth) and connections
// only to this origin and the Firebase Auth endpoints the console signs in
// with.
package console

import (
	"embed"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
)

// files holds dist/.gitkeep and, once `make console` ran, dist/app.
//
//go:embed all:dist
var files embed.FS

// app is the built console, or nil when the binary was built without it.
var app = func() fs.FS {
	sub, err := fs.Sub(files, "dist/app")
	if err != nil {
		return nil
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil
	}
	return sub
}()

// Built reports whether the console's files are in this binary.
func Built() bool { return app != nil }

// Options say which outside origins the console talks to.
type Options struct {
	// ConnectOrigins are origins besides this one the browser may call:
	// the Firebase Auth endpoints, or the Auth emulator in development.
	ConnectOrigins []string
	// DocumentOrigin is where presigned document URLs point (the object
	// store): previews load images and PDFs from it.
	DocumentOrigin string
	// Recaptcha lets Google's reCAPTCHA script and frame in, which phone
	// sign-in needs against the real Firebase Auth (not the emulator).
	Recaptcha bool
}

// Google's reCAPTCHA, as Firebase's RecaptchaVerifier loads it: the script
// (api.js or enterprise.js, which loads the rest from gstatic) and the
// challenge's frame. Only these paths, not the whole of google.com.
var (
	recaptchaScripts = []string{"https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"}
	recaptchaFrames  = []string{"https://www.google.com/recaptcha/", "https://recaptcha.google.com/recaptcha/"}
)

// CSP is the Content-Security-Policy of every console and docs response.
// Styles allow 'unsafe-inline' because Element Plus and the API reference
// set style attributes at run time; scripts come only from this origin.
func CSP(o Options) string {
	connect := append([]string{"'self'"}, o.ConnectOrigins...)
	docs := "'self' blob:"
	if o.DocumentOrigin != "" {
		docs += " " + o.DocumentOrigin
	}
	scripts, frames := "'self'", docs
	if o.Recaptcha {
		scripts += " " + strings.Join(recaptchaScripts, " ")
		frames += " " + strings.Join(recaptchaFrames, " ")
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src " + scripts,
		"style-src 'self' 'unsafe-inline'",
		"img-src data: " + docs,
		"font-src 'self' data:",
		"connect-src " + strings.Join(connect, " "),
		// Documents are previewed from presigned URLs of the object store
		// in images and frames (and reCAPTCHA challenges, when let in).
		"frame-src " + frames,
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

const (
	immutable = "public, max-age=31536000, immutable"
	noCache   = "no-cache"
)

// Register mounts /console/ (with deep links answered by the index) and
// /docs on f.
func Register(f fiber.Router, o Options) {
	csp := CSP(o)
	// Compressed for the browsers that ask (all do): the app's first
	// load is about a third of a megabyte gzipped instead of 1.5 MB.
	zip := compress.New(compress.Config{Level: compress.LevelBestSpeed})
	f.Get("/console/*", zip, func(c *fiber.Ctx) error {
		// Without its slash the app's relative router base would be wrong.
		if c.Path() == "/console" {
			return c.Redirect("/console/", fiber.StatusMovedPermanently)
		}
		c.Set("Content-Security-Policy", csp)
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		c.Set("Referrer-Policy", "same-origin")
		if app == nil {
			c.Set(fiber.HeaderCacheControl, noCache)
			c.Type("txt", "utf-8")
			return c.Status(fiber.StatusServiceUnavailable).SendString("The console was not built into this binary: run `make build` (it runs npm ci and vite build in console/).\n")
		}
		name := path.Clean(c.Params("*"))
		if strings.HasPrefix(name, "assets/") {
			return sendFile(c, name, immutable)
		}
		if name != "." && name != "index.html" {
			if _, err := fs.Stat(app, name); err == nil && !strings.HasSuffix(name, ".html") {
				return sendFile(c, name, noCache)
			}
		}
		// Every other path is a screen of the single-page app: a deep link
		// such as /console/claims/{id} gets the index, and the router shows it.
		return sendFile(c, "index.html", noCache)
	})
	f.Get("/docs", zip, func(c *fiber.Ctx) error {
		c.Set("Content-Security-Policy", csp)
		if app == nil {
			c.Set(fiber.HeaderCacheControl, noCache)
			c.Type("txt", "utf-8")
			return c.Status(fiber.StatusServiceUnavailable).SendString("The API reference is built with the console: run `make build`. The contract itself is at /openapi.yaml.\n")
		}
		return sendFile(c, "docs.html", noCache)
	})
}

func sendFile(c *fiber.Ctx, name, cache string) error {
	b, err := fs.ReadFile(app, name)
	if err != nil {
		return fiber.ErrNotFound
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = fiber.MIMEOctetStream
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderCacheControl, cache)
	return c.Send(b)
}
