package filetype_test

import (
	"archive/zip"
	"bytes"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/filetype"
)

// unhex turns a spaced hex dump (as xxd prints it) into bytes.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Real file heads. Where a format has no encoder in the standard library,
// the bytes are copied from real files.
var (
	// pdfHead is the start of shared-mime-info-spec.pdf from Debian.
	pdfHead = "25 50 44 46 2d 31 2e 35 0a 25 d0 d4 c5 d8 0a 31 30 31 20 30 20 6f 62 6a"
	// webpHead is the start of CPython's test image python.webp (VP8X, lossless with alpha).
	webpHead = "52 49 46 46 a8 01 00 00 57 45 42 50 56 50 38 58 0a 00 00 00 10 00 00 00 0f 00 00 0f 00 00 41 4c"
	// webpLossy is a simple lossy WebP as cwebp writes it ("VP8 " chunk).
	webpLossy = "52 49 46 46 24 1c 00 00 57 45 42 50 56 50 38 20 18 1c 00 00 30 d0 00 9d 01 2a"
	// heicIPhone is an iPhone photo: major brand heic, compatible mif1 heic.
	heicIPhone = "00 00 00 18 66 74 79 70 68 65 69 63 00 00 00 00 6d 69 66 31 68 65 69 63 00 00 0f 1f 6d 65 74 61"
	// heicLibheif is what libheif writes: heic, compatible mif1 heic miaf.
	heicLibheif = "00 00 00 1c 66 74 79 70 68 65 69 63 00 00 00 00 6d 69 66 31 68 65 69 63 6d 69 61 66 00 00 01 0d 6d 65 74 61"
	// heicMif1 has the generic HEIF major brand and heic as compatible brand.
	heicMif1 = "00 00 00 18 66 74 79 70 6d 69 66 31 00 00 00 00 6d 69 66 31 68 65 69 63"
	// heicSequence is a HEIF image sequence (burst or live photo).
	heicSequence = "00 00 00 18 66 74 79 70 6d 73 66 31 00 00 00 00 6d 73 66 31 68 65 76 63"
	// avif is an AVIF photo: HEIF, but AV1 coded, which Anju does not accept.
	avif = "00 00 00 20 66 74 79 70 61 76 69 66 00 00 00 00 61 76 69 66 6d 69 66 31 6d 69 61 66 4d 41 31 42"
	// avifMif1 uses the generic major brand but only AV1 compatible brands.
	avifMif1 = "00 00 00 1c 66 74 79 70 6d 69 66 31 00 00 00 00 6d 69 66 31 61 76 69 66 6d 69 61 66"
	// mp4 is an ordinary MP4 video, also ISO BMFF.
	mp4 = "00 00 00 20 66 74 79 70 69 73 6f 6d 00 00 02 00 69 73 6f 6d 69 73 6f 32 61 76 63 31 6d 70 34 31"
	// elf is the start of /bin/ls on x86-64 Linux.
	elf = "7f 45 4c 46 02 01 01 00 00 00 00 00 00 00 00 00 03 00 3e 00 01 00 00 00 d0 61 00 00 00 00 00 00"
	// windowsExe is the DOS stub every PE executable starts with.
	windowsExe = "4d 5a 90 00 03 00 00 00 04 00 00 00 ff ff 00 00 b8 00 00 00 00 00 00 00 40 00 00 00 00 00 00 00"
	// machO is a 64-bit Mach-O executable.
	machO = "cf fa ed fe 0c 00 00 01 00 00 00 00 02 00 00 00"
	// gif is a GIF89a image: an image, but not an accepted one.
	gif = "47 49 46 38 39 61 10 00 10 00 f0 00 00"
	// tiff is a little-endian TIFF, the format of some scanner output.
	tiff = "49 49 2a 00 08 00 00 00"
	// wav is a RIFF file that is not WebP.
	wav = "52 49 46 46 24 08 00 00 57 41 56 45 66 6d 74 20"
)

func realPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func realJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// realZip returns a ZIP archive whose first entry is name; with
// "[Content_Types].xml" it is laid out like a .docx or .xlsx.
func realZip(t testing.TB, name string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(`<?xml version="1.0"?><Types/>`)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDetect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		head []byte
		want string
	}{
		{"pdf", unhex(t, pdfHead), filetype.PDF},
		{"pdf magic only", []byte("%PDF-"), filetype.PDF},
		{"jpeg", realJPEG(t), filetype.JPEG},
		{"jpeg exif", unhex(t, "ff d8 ff e1 1f fe 45 78 69 66 00 00"), filetype.JPEG},
		{"png", realPNG(t), filetype.PNG},
		{"webp extended", unhex(t, webpHead), filetype.WebP},
		{"webp lossy", unhex(t, webpLossy), filetype.WebP},
		{"heic iphone", unhex(t, heicIPhone), filetype.HEIC},
		{"heic libheif", unhex(t, heicLibheif), filetype.HEIC},
		{"heic mif1 major", unhex(t, heicMif1), filetype.HEIC},
		{"heic sequence msf1", unhex(t, heicSequence), filetype.HEIC},
		{"heix major", unhex(t, "00 00 00 10 66 74 79 70 68 65 69 78 00 00 00 00"), filetype.HEIC},
		{"hevc major", unhex(t, "00 00 00 10 66 74 79 70 68 65 76 63 00 00 00 00"), filetype.HEIC},
		{"hevx major", unhex(t, "00 00 00 10 66 74 79 70 68 65 76 78 00 00 00 00"), filetype.HEIC},
		{"heim major", unhex(t, "00 00 00 10 66 74 79 70 68 65 69 6d 00 00 00 00"), filetype.HEIC},
		{"heis major", unhex(t, "00 00 00 10 66 74 79 70 68 65 69 73 00 00 00 00"), filetype.HEIC},
		{"mif1 with heix", unhex(t, "00 00 00 18 66 74 79 70 6d 69 66 31 00 00 00 00 6d 69 66 31 68 65 69 78"), filetype.HEIC},

		{"avif", unhex(t, avif), ""},
		{"avif with mif1 major", unhex(t, avifMif1), ""},
		{"mif1 without compatible brands", unhex(t, "00 00 00 10 66 74 79 70 6d 69 66 31 00 00 00 00"), ""},
		{"mp4", unhex(t, mp4), ""},
		{"isom major with heic compatible", unhex(t, "00 00 00 18 66 74 79 70 69 73 6f 6d 00 00 00 00 69 73 6f 6d 68 65 69 63"), ""},
		// The heic brand sits after the box's end, in the next box.
		{"heic brand outside ftyp box", unhex(t, "00 00 00 14 66 74 79 70 6d 69 66 31 00 00 00 00 6d 69 66 31 68 65 69 63"), ""},
		// A heic brand in the minor version field is not a compatible brand.
		{"heic as minor version", unhex(t, "00 00 00 14 66 74 79 70 6d 69 66 31 68 65 69 63 6d 69 66 31"), ""},
		{"ftyp size too small", unhex(t, "00 00 00 08 66 74 79 70 68 65 69 63 00 00 00 00"), ""},
		{"ftyp size zero", unhex(t, "00 00 00 00 66 74 79 70 68 65 69 63 00 00 00 00"), ""},
		{"ftyp size 64-bit", unhex(t, "00 00 00 01 66 74 79 70 00 00 00 00 00 00 00 18 68 65 69 63"), ""},
		{"ftyp size not brand aligned", unhex(t, "00 00 00 13 66 74 79 70 68 65 69 63 00 00 00 00 6d 69 66"), ""},
		{"ftyp not at offset 4", unhex(t, "00 00 00 00 18 66 74 79 70 68 65 69 63 00 00 00 00 6d 69 66 31"), ""},
		{"heic brand uppercase", unhex(t, "00 00 00 10 66 74 79 70 48 45 49 43 00 00 00 00"), ""},

		{"elf", unhex(t, elf), ""},
		{"windows exe", unhex(t, windowsExe), ""},
		{"mach-o", unhex(t, machO), ""},
		{"zip", realZip(t, "a.txt"), ""},
		{"docx", realZip(t, "[Content_Types].xml"), ""},
		{"gif", unhex(t, gif), ""},
		{"tiff", unhex(t, tiff), ""},
		{"wav", unhex(t, wav), ""},
		{"html", []byte("<!DOCTYPE html><html><body>%PDF-</body></html>"), ""},
		{"text", []byte("name: Li Wei\nphone: 13800000000\n"), ""},
		{"shell script", []byte("#!/bin/sh\nrm -rf /\n"), ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), ""},
		// Readers that scan for the header would open these; Anju does not.
		{"pdf after junk", append([]byte("MZ\x90\x00"), unhex(t, pdfHead)...), ""},
		{"pdf after bom", append([]byte{0xEF, 0xBB, 0xBF}, unhex(t, pdfHead)...), ""},
		{"pdf lowercase", []byte("%pdf-1.7"), ""},
		{"png after space", append([]byte(" "), realPNG(t)...), ""},

		{"nil", nil, ""},
		{"empty", []byte{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := filetype.Detect(tt.head); got != tt.want {
				t.Errorf("Detect(% x) = %q, want %q", tt.head[:min(len(tt.head), 32)], got, tt.want)
			}
		})
	}
}

// TestDetectTruncated cuts every accepted head short of its signature:
// too few bytes to tell must never be guessed as a type.
func TestDetectTruncated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		head []byte
		need int // shortest prefix that is recognised
	}{
		{"pdf", unhex(t, pdfHead), 5},
		{"jpeg", realJPEG(t), 3},
		{"png", realPNG(t), 8},
		{"webp", unhex(t, webpHead), 12},
		{"heic", unhex(t, heicIPhone), 16},
		{"heic mif1", unhex(t, heicMif1), 24},
		{"heic libheif", unhex(t, heicLibheif), 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := filetype.Detect(tt.head)
			if want == "" {
				t.Fatalf("full head not recognised")
			}
			for n := 0; n < tt.need; n++ {
				if got := filetype.Detect(tt.head[:n]); got != "" {
					t.Errorf("Detect(first %d bytes) = %q, want \"\"", n, got)
				}
			}
			for n := tt.need; n <= len(tt.head); n++ {
				if got := filetype.Detect(tt.head[:n]); got != want {
					t.Errorf("Detect(first %d bytes) = %q, want %q", n, got, want)
				}
			}
		})
	}
}

func TestAllowed(t *testing.T) {
	t.Parallel()
	for _, ct := range []string{"application/pdf", "image/jpeg", "image/png", "image/heic", "image/webp"} {
		if !filetype.Allowed(ct) {
			t.Errorf("Allowed(%q) = false", ct)
		}
	}
	for _, ct := range []string{
		"", "image/jpg", "image/gif", "image/heif", "image/avif", "application/zip",
		"application/octet-stream", "text/html", "application/x-executable",
		"IMAGE/PNG", "image/png; charset=binary", " image/png", "image/png ",
	} {
		if filetype.Allowed(ct) {
			t.Errorf("Allowed(%q) = true", ct)
		}
	}
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{pdfHead, webpHead, webpLossy, heicIPhone, heicLibheif, heicMif1, heicSequence, avif, avifMif1, mp4, elf, windowsExe, gif, wav} {
		f.Add(unhex(f, s))
	}
	f.Add(realPNG(f))
	f.Add(realJPEG(f))
	f.Add(realZip(f, "[Content_Types].xml"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, head []byte) {
		got := filetype.Detect(head)
		if got != "" && !filetype.Allowed(got) {
			t.Fatalf("Detect = %q, which Allowed refuses", got)
		}
		// More bytes never change a positive answer: a type is decided by
		// a prefix, so the worker's 4 KiB head and a longer read agree.
		for _, n := range []int{3, 5, 8, 12, 16, 20, 24, 32} {
			if n < len(head) {
				if short := filetype.Detect(head[:n]); short != "" && short != got {
					t.Fatalf("Detect(first %d) = %q but Detect(all) = %q", n, short, got)
				}
			}
		}
	})
}
