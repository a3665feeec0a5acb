// Package filetype recognises the document formats Anju accepts from their
// first bytes. The type a phone declares is only a claim; the worker sniffs
// the stored object and rejects anything that is not really one of these
// formats, so an executable or an archive renamed to .pdf never reaches a
// reviewer.
//
// Detection is deliberately narrow: each format must start exactly with its
// signature at offset 0, so files with junk in front (polyglots that some
// readers would still open) are refused.
package filetype

import (
	"bytes"
	"encoding/binary"
)

// The accepted content types, exactly as the API stores them.
const (
	// PDF is a PDF document, starting with "%PDF-".
	PDF = "application/pdf"
	// JPEG is a JPEG image, starting with FF D8 FF.
	JPEG = "image/jpeg"
	// PNG is a PNG image, starting with the 8-byte PNG signature.
	PNG = "image/png"
	// HEIC is a HEIF image coded with HEVC, as iPhones and many Android
	// phones take photos.
	HEIC = "image/heic"
	// WebP is a WebP image: a RIFF container of form type "WEBP".
	WebP = "image/webp"
)

// Allowed reports whether contentType is one of the accepted types. The
// comparison is exact, with no parameters or case folding, because the same
// string is signed into the upload policy and compared with Detect's result.
func Allowed(contentType string) bool {
	switch contentType {
	case PDF, JPEG, PNG, HEIC, WebP:
		return true
	}
	return false
}

var (
	pdfMagic  = []byte("%PDF-")
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}
)

// Detect returns the content type of a file from its first bytes (Inspect
// keeps 4 KiB), or "" when they are not one of the accepted formats or are
// too short to tell. It never reads beyond head.
func Detect(head []byte) string {
	switch {
	case bytes.HasPrefix(head, pdfMagic):
		return PDF
	case bytes.HasPrefix(head, jpegMagic):
		return JPEG
	case bytes.HasPrefix(head, pngMagic):
		return PNG
	case isWebP(head):
		return WebP
	case isHEIC(head):
		return HEIC
	}
	return ""
}

// isWebP matches "RIFF", a 4-byte little-endian size, then "WEBP".
func isWebP(head []byte) bool {
	return len(head) >= 12 && string(head[0:4]) == "RIFF" && string(head[8:12]) == "WEBP"
}

// heicBrands are the ISO BMFF brands that mean HEVC-coded HEIF content
// (ISO/IEC 23008-12): heic/heix for still images, hevc/hevx for image
// sequences, heim/heis for multi-layer and scalable images.
var heicBrands = map[string]bool{
	"heic": true, "heix": true,
	"hevc": true, "hevx": true,
	"heim": true, "heis": true,
}

// isHEIC reads the ISO BMFF 'ftyp' box that must open the file:
//
//	size(4, big-endian) "ftyp" major_brand(4) minor_version(4) compatible_brands(4 each)
//
// A HEVC brand as major brand is HEIC. The generic HEIF brands mif1 and
// msf1 only say "some HEIF file" (AVIF uses them too), so with those the
// compatible brands must also name a HEVC brand. Only brands inside the
// box, as its size field bounds it, count; and a box whose size is not
// 16 + 4n is malformed.
func isHEIC(head []byte) bool {
	if len(head) < 16 || string(head[4:8]) != "ftyp" {
		return false
	}
	size := binary.BigEndian.Uint32(head[0:4])
	// Size 0 (box runs to end of file) and 1 (64-bit size follows) are
	// legal for boxes in general but never used for ftyp by real encoders;
	// refusing them keeps the parser simple and strict.
	if size < 16 || (size-16)%4 != 0 {
		return false
	}
	major := string(head[8:12])
	if heicBrands[major] {
		return true
	}
	if major != "mif1" && major != "msf1" {
		return false
	}
	end := len(head)
	if uint64(size) < uint64(end) {
		end = int(size)
	}
	for i := 16; i+4 <= end; i += 4 {
		if heicBrands[string(head[i:i+4])] {
			return true
		}
	}
	return false
}
