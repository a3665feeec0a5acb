package objectstore

import "testing"

func TestGrantsAnonymous(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		policy string
		want   bool
	}{
		{"public read as MinIO stores it", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}]}`, true},
		{"principal string", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, true},
		{"principal AWS string", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}]}`, true},
		{"single statement object", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}}`, true},
		{"allow with not principal", `{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":["arn:aws:iam::1:root"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, true},
		{"wildcard pattern principal", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:*"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, true},
		{"allow among denies", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},{"Effect":"allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/x"}]}`, true},
		{"unparseable", `{not json`, true},
		{"unparseable principal", `{"Statement":[{"Effect":"Allow","Principal":42,"Action":"s3:GetObject"}]}`, true},
		{"deny only", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}`, false},
		{"named principal", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123:user/worker"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, false},
		{"no statements", `{"Version":"2012-10-17","Statement":[]}`, false},
		{"no statement field", `{"Version":"2012-10-17"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := grantsAnonymous(tt.policy); got != tt.want {
				t.Errorf("grantsAnonymous = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseEndpoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw        string
		defaultTLS bool
		host       string
		secure     bool
		wantErr    bool
	}{
		{raw: "minio:9000", host: "minio:9000"},
		{raw: "minio:9000", defaultTLS: true, host: "minio:9000", secure: true},
		{raw: "127.0.0.1:59000", host: "127.0.0.1:59000"},
		{raw: "https://files.city.gov.cn", host: "files.city.gov.cn", secure: true},
		{raw: "https://files.city.gov.cn/", host: "files.city.gov.cn", secure: true},
		{raw: "http://127.0.0.1:59000", defaultTLS: true, host: "127.0.0.1:59000"},
		{raw: "", wantErr: true},
		{raw: "ftp://files.city.gov.cn", wantErr: true},
		{raw: "https://files.city.gov.cn/minio", wantErr: true},
		{raw: "files.city.gov.cn/minio", wantErr: true},
		{raw: "https://user:pw@files.city.gov.cn", wantErr: true},
		{raw: "https://files.city.gov.cn?x=1", wantErr: true},
		{raw: "https://", wantErr: true},
	}
	for _, tt := range tests {
		host, secure, err := parseEndpoint(tt.raw, tt.defaultTLS)
		if (err != nil) != tt.wantErr || host != tt.host || secure != tt.secure {
			t.Errorf("parseEndpoint(%q, %v) = %q, %v, %v; want %q, %v, error %v", tt.raw, tt.defaultTLS, host, secure, err, tt.host, tt.secure, tt.wantErr)
		}
	}
}

func TestHeadWriter(t *testing.T) {
	t.Parallel()
	w := &headWriter{limit: 5}
	for _, p := range []string{"ab", "", "cdef", "ghi"} {
		if n, err := w.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	if string(w.buf) != "abcde" || cap(w.buf) > 16 {
		t.Fatalf("head = %q (cap %d), want \"abcde\"", w.buf, cap(w.buf))
	}
}
