package talent

import (
	"strings"
	"time"
	"unicode/utf8"
)

// NationalID is a validated 18-character resident identity card number
// (居民身份证号码, GB 11643-1999). It is personal data: seal it at rest, show
// it only as Masked, and never log it.
type NationalID struct {
	number string
	birth  time.Time
}

// gb11643Weights are the weights of the first 17 digits in the check sum.
var gb11643Weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// gb11643Check maps the weighted sum modulo 11 to the check character.
const gb11643Check = "10X98765432"

// NationalIDCheck returns the GB 11643 check character of the first 17
// digits of a national ID number (digits only; the caller checks them).
func NationalIDCheck(digits string) byte {
	sum := 0
	for i := 0; i < 17 && i < len(digits); i++ {
		sum += int(digits[i]-'0') * gb11643Weights[i]
	}
	return gb11643Check[sum%11]
}

// ParseNationalID validates s: 17 digits, a check character computed by
// GB 11643, a plausible region and a real birth date not in the future
// relative to now. A lower-case x is accepted and normalised.
func ParseNationalID(s string, now time.Time) (NationalID, *Error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	bad := func(code Code) (NationalID, *Error) {
		return NationalID{}, Invalid(FieldError{Field: "nationalId", Code: code})
	}
	if len(s) != 18 {
		return bad(CodeNationalIDLength)
	}
	for i := 0; i < 17; i++ {
		if c := s[i]; c < '0' || c > '9' {
			return bad(CodeNationalIDFormat)
		}
	}
	if last := s[17]; last != 'X' && (last < '0' || last > '9') {
		return bad(CodeNationalIDFormat)
	}
	if s[17] != NationalIDCheck(s[:17]) {
		return bad(CodeNationalIDChecksum)
	}
	if s[0] < '1' || s[0] > '8' {
		return bad(CodeNationalIDRegion)
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil || birth.Year() < 1900 || birth.After(now) {
		return bad(CodeNationalIDBirthDate)
	}
	return NationalID{number: s, birth: birth}, nil
}

// String returns the masked form so that a stray %v never prints the number.
func (n NationalID) String() string { return n.Masked() }

// Number returns the full number, for sealing and blind indexing only.
func (n NationalID) Number() string { return n.number }

// BirthDate is the birth date encoded in digits 7–14, as a civil date (UTC midnight).
func (n NationalID) BirthDate() time.Time { return n.birth }

// Masked shows the first four and last four characters: 3302**********123X.
func (n NationalID) Masked() string { return MaskNationalID(n.number) }

// MaskNationalID masks any identity number the same way; short input is masked whole.
func MaskNationalID(s string) string {
	if len(s) < 9 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}

// MaskPhone keeps the first three and last four digits: 138****5678.
func MaskPhone(s string) string {
	if len(s) < 8 {
		return strings.Repeat("*", len(s))
	}
	prefix := ""
	if len(s) > 11 {
		prefix, s = s[:len(s)-11], s[len(s)-11:]
	}
	return prefix + s[:3] + strings.Repeat("*", len(s)-7) + s[len(s)-4:]
}

// MaskPerson names a person in a public list: the first character of the
// name and the last four of the masked ID number, e.g. 李*（0423）: enough
// to find oneself, too little to identify anyone else.
func MaskPerson(name, maskedID string) string {
	tail := maskedID
	if len(tail) > 4 {
		tail = tail[len(tail)-4:]
	}
	shown := "*"
	if first, _ := utf8.DecodeRuneInString(name); first != utf8.RuneError {
		shown = string(first) + "*"
	}
	return shown + "（" + tail + "）"
}
