package talent

import "strings"

// uscc is the alphabet of the unified social credit code (统一社会信用代码,
// GB 32100-2015): digits and upper-case letters without I, O, Z, S and V.
const uscc = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of the first 17 characters in the check sum.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ParseCreditCode validates an employer's unified social credit code: 18
// characters of the GB 32100 alphabet whose last is the check character.
// Lower case is accepted and normalised. field names the request field in
// the error.
func ParseCreditCode(s, field string) (string, *Error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	bad := func(code Code) (string, *Error) {
		return "", Invalid(FieldError{Field: field, Code: code})
	}
	if len(s) != 18 {
		return bad(CodeCreditCodeLength)
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(uscc, s[i])
		if v < 0 {
			return bad(CodeCreditCodeFormat)
		}
		sum += v * usccWeights[i]
	}
	if strings.IndexByte(uscc, s[17]) < 0 {
		return bad(CodeCreditCodeFormat)
	}
	if s[17] != uscc[(31-sum%31)%31] {
		return bad(CodeCreditCodeChecksum)
	}
	return s, nil
}
