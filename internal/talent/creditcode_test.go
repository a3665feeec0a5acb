package talent

import "testing"

func TestParseCreditCode(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, code string }{
		{"91330282MA2H3B8K4N", ""}, // check character computed by GB 32100
		{"91330282ma2h3b8k4n", ""},
		{"91330282MA2H3B8K4X", "credit_code_checksum"},
		{"91330282MA2H3B8K4", "credit_code_length"},
		{"91330282MA2H3B8KIX", "credit_code_format"}, // I is not in the alphabet
		{"91350100M000100Y43", ""},
	}
	for _, tt := range tests {
		got, err := ParseCreditCode(tt.in, "creditCode")
		switch {
		case tt.code == "" && err != nil:
			t.Errorf("%s: unexpected %v", tt.in, err)
		case tt.code == "" && len(got) != 18:
			t.Errorf("%s: got %q", tt.in, got)
		case tt.code != "" && (err == nil || err.Fields[0].Code.String() != tt.code):
			t.Errorf("%s: got %v, want %s", tt.in, err, tt.code)
		}
	}
}
