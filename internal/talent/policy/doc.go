// Package policy holds Anju's policy packages and the rule evaluator.
//
// Policy is versioned data; rules are code. A Package (relocation 安家补贴,
// rent 租房补贴, living 生活补贴, and later apartment 人才公寓) is a YAML
// document with an id, a version, an effective window, named parameters, a
// list of rules and the benefit it pays. Every parameter, rule, benefit and
// document list cites the clause of the policy text it comes from. A rule names
// one of a fixed set of kinds (see Kinds) implemented in Go; the kind reads the
// rule's params, so a city changes figures and the order of rules without a
// code change, and a new kind of condition is a reviewed code change.
//
// Evaluate is a pure function of a Package and the Facts gathered about a
// graduate. Its Decision lists every rule with the inputs it looked at, its
// result and a message in zh-CN and en, so that a graduate, a reviewer and an
// auditor all see the same reasons. A claim is decided under the version in
// force on its submission date (InForce) and stores that version.
//
// # Dates
//
// The dates policy talks about are civil dates in Asia/Shanghai. Every
// time.Time in Facts is read as its calendar date in Asia/Shanghai, so both
// an instant (a submission time in UTC) and a civil date stored as UTC
// midnight (talent.NationalID.BirthDate, talent.Education.GraduationDate) give
// the expected day. Dates this package returns (Decision.EligibleFrom,
// Step.PassesFrom, Step.LastDay, Package.EffectiveFrom …) are civil dates at
// UTC midnight. China has not observed daylight saving time since 1991, so
// the package uses a fixed UTC+8 zone and needs no time-zone database.
//
// Month arithmetic is clamped to the end of the month (AddMonths): 24 months
// after 2024-08-31 is 2026-08-31, and 6 months after 2024-08-31 is
// 2025-02-28. "Graduated within 24 months" passes up to and including
// graduation date + 24 months.
//
// Age is counted in whole years (周岁) on the claim date (Age). A person born
// on 29 February becomes a year older on 1 March in a common year: born
// 2000-02-29, they are 34 on 2035-02-28 and 35 on 2035-03-01. "At most 35"
// therefore passes until the day before the 36th birthday.
//
// # Unknown facts
//
// A fact that has not been gathered yet (employment awaiting the employer's
// HR confirmation, a social-insurance record not yet checked) is Unknown, and
// the zero value of every fact is Unknown, so a fact nobody gathered never
// passes a rule by accident. A rule that cannot be decided reports
// RuleUnknown; the decision is then NeedsReview unless another rule fails
// outright. A rule that fails now but that time alone will fix (months of
// social insurance still to come, a graduation date still ahead) reports the
// date it will pass; when every failing rule is of that sort and no time
// window (age, graduation) closes first, Decision.EligibleFrom gives the
// earliest date from which the graduate can claim.
package policy
