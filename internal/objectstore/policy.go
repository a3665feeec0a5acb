package objectstore

import (
	"encoding/json"
	"strings"
)

// grantsAnonymous reports whether a bucket policy document allows anyone
// without credentials to do anything. A policy it cannot parse counts as
// granting access: the bucket holds identity documents, so when in doubt
// the policy goes.
func grantsAnonymous(policy string) bool {
	var doc struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return true
	}
	var statements []statement
	// IAM allows a single statement object as well as a list.
	if err := json.Unmarshal(doc.Statement, &statements); err != nil {
		var one statement
		if err := json.Unmarshal(doc.Statement, &one); err != nil {
			return len(strings.TrimSpace(string(doc.Statement))) > 0 && string(doc.Statement) != "null"
		}
		statements = []statement{one}
	}
	for _, st := range statements {
		if !strings.EqualFold(st.Effect, "Allow") {
			continue
		}
		// NotPrincipal with Allow grants everyone but the listed
		// principals, anonymous users included.
		if len(st.NotPrincipal) > 0 || hasWildcard(st.Principal) {
			return true
		}
	}
	return false
}

type statement struct {
	Effect       string
	Principal    json.RawMessage
	NotPrincipal json.RawMessage
}

// hasWildcard reports whether a Principal element may name everyone: "*",
// {"AWS": "*"} or {"AWS": ["*", ...]}. MinIO matches principals as
// wildcard patterns, so any pattern with a "*" counts, and so does anything
// unrecognised.
func hasWildcard(raw json.RawMessage) bool {
	if len(raw) == 0 {
		return false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return isWildcard(s)
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return true
	}
	for _, v := range m {
		var one string
		if json.Unmarshal(v, &one) == nil {
			if isWildcard(one) {
				return true
			}
			continue
		}
		var many []string
		if json.Unmarshal(v, &many) != nil {
			return true
		}
		for _, p := range many {
			if isWildcard(p) {
				return true
			}
		}
	}
	return false
}

func isWildcard(principal string) bool { return strings.Contains(principal, "*") }
