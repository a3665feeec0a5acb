// Package draw allocates talent apartments (人才公寓) in a way anyone can
// verify: a committed-seed lottery for ties, serial dictatorship over ranked
// preferences, and a published record that recomputes to the same bytes.
//
// The package is pure: no clock, no store, no randomness except NewSeed.
// Same pool + same seed ⇒ same result, byte for byte, on any machine.
//
// # The round
//
//  1. When the round opens, Anju draws a secret seed (NewSeed) and publishes
//     its Commitment, the hex SHA-256 of the seed.
//  2. Graduates apply with one to five ranked preferences (a property, a
//     layout, or both) and their household size; scores come from the
//     apartment policy package (policy.Score).
//  3. When the window closes, the eligible applications are frozen into a
//     Pool and its PoolHash is published.
//  4. The seed is revealed and Publish allocates and builds the Record that
//     GET /v1/housing/rounds/{id}/draw serves. Anyone can run
//     `anju verify-draw FILE` (VerifyFile) to recompute it. Refusing to run a
//     published draw twice, and the second-person approval of a correction,
//     belong to the service that stores rounds; this package only computes.
//
// # Allocation, version anju-draw/1
//
// Applications are ordered by score, highest first. Equal scores are ordered
// by their tie key, HMAC-SHA256 keyed with the seed over the UTF-8 bytes of
// the application ID, compared as bytes, smallest first. (Equal tie keys,
// which only duplicate IDs in an invalid pool could produce, fall back to the
// canonical order of the applications.) Applicants cannot predict the tie
// order before the seed is revealed, the office cannot change the seed after
// committing to it, and everybody can recompute the order afterwards.
//
// Units are then handed out by serial dictatorship: each applicant in that
// order gets the first of their preferences, in their own ranking, that still
// matches a free unit. A preference matches a unit when each of its non-empty
// fields equals the unit's; an empty field means "any". When a preference
// matches several free units the one with the lowest unit ID (comparing the
// UTF-8 bytes) is taken, so the choice never depends on input order.
// Applicants who get nothing stay in the order as the waitlist (UnitID "",
// PreferenceIndex -1); NextInLine walks it when an offer is declined or
// expires.
//
// The result therefore has no envy towards lower ranks: no applicant would
// rather have a unit that went to someone ranked below them.
//
// # Canonical pool encoding, version anju-pool/1
//
// PoolHash is the lowercase hex SHA-256 of EncodePool's bytes, which are the
// RFC 8785 JSON Canonicalization Scheme (JCS) form of this document:
//
//	{"applications":[{"applicant":"李*","householdSize":2,"id":"a-1",
//	   "preferences":[{"layout":"2br","propertyId":"p-1"},…],"score":42},…],
//	 "roundId":"2026-r1",
//	 "units":[{"id":"u-1","layout":"2br","propertyId":"p-1"},…],
//	 "version":"anju-pool/1"}
//
// with no whitespace, object keys in ascending order, every field always
// present (an empty string is written as ""), integers in plain decimal and
// no floating-point numbers. Units and applications are sorted by ID (then by
// their other fields, so the order of the input never matters); preferences
// keep the applicant's ranking. Strings are written as UTF-8 with only '"',
// '\\' and the control characters below U+0020 escaped (\b \t \n \f \r, the
// rest as \u00xx in lowercase hex); nothing else is escaped and no Unicode
// normalization is applied. Any JCS implementation reproduces these bytes
// from the same values, so the pool hash is stable across machines and
// languages, and changing any field of any application or unit changes it.
//
// # Record, version anju-draw/1
//
// MarshalRecord writes a Record in the same JCS form:
//
//	{"commitment":"…","pool":{…},"poolHash":"…","publishedAt":"2026-07-01T02:00:00Z",
//	 "result":[{"applicant":"李*","applicationId":"a-1","preferenceIndex":0,"rank":1,
//	            "score":42,"tieKey":"…","unitId":"u-1"},…],
//	 "roundId":"2026-r1","seed":"…","version":"anju-draw/1"}
//
// The "pool" member is byte for byte EncodePool's output, so the SHA-256 of
// those bytes as they appear in a published file is the pool hash. Hex is
// lowercase; publishedAt is RFC 3339 in UTC. Verify checks, in this order, the
// version, the round ID, the seed (32 bytes), the commitment, the pool, the
// pool hash and every result line, and names the first mismatch; VerifyFile
// then checks that the file is exactly the canonical JSON of what it holds,
// so that a file with a key given twice cannot show a reader one thing and
// the verifier another.
//
// Checking a record without Anju needs only standard tools: the commitment
// is sha256 of the seed bytes; a tie key is
// `printf %s "$id" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$seed`.
// Compare the commitment and pool hash with the ones Anju published when the
// round opened and when it closed: the record alone cannot prove when they
// were published.
package draw
