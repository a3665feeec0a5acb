package talent

// SealedField names where a sealed personal value lives, as
// "table.column" of the column that first holds it. The Vault binds every
// value to its field and to the id of the row that owns it, so that a
// value copied into another row, column or table fails to open instead of
// reading as someone else's. The names are part of the ciphertexts
// stored: never rename one.
type SealedField string

// The sealed fields, each with the row id it is bound to.
const (
	// SealedProfilePhone is a user's phone number; the row is the user id.
	SealedProfilePhone SealedField = "profiles.phone"
	// SealedProfileNationalID is a user's national ID number; the row is
	// the user id.
	SealedProfileNationalID SealedField = "profiles.national_id"
	// SealedProfileBankAccount is a user's bank account number; the row is
	// the user id. A batch line's payee account is a copy of it (the
	// ciphertext as it was when the batch was made), so it opens with the
	// line's payee's user id and with no one else's.
	SealedProfileBankAccount SealedField = "profiles.bank_account"
	// SealedHireNationalID is a filed new hire's national ID number; the
	// row is the hire's id.
	SealedHireNationalID SealedField = "filed_hires.national_id"
	// SealedHirePhone is a filed new hire's phone number; the row is the
	// hire's id.
	SealedHirePhone SealedField = "filed_hires.phone"
	// SealedInvitationCode is an invitation's code; the row is the
	// invitation's id.
	SealedInvitationCode SealedField = "invitations.code"
	// SealedInvitationContact is the invitee's phone number or email
	// address; the row is the invitation's id.
	SealedInvitationContact SealedField = "invitations.contact"
	// SealedNominationContact is the contact a graduate gave for an
	// employer they named; the row is the nomination's id.
	SealedNominationContact SealedField = "employer_nominations.contact"
	// SealedRegistrationPhone is an employer registration's contact phone;
	// the row is the registration's id.
	SealedRegistrationPhone SealedField = "employer_registrations.contact_phone"
	// SealedRoundSeed is an allocation round's secret draw seed until the
	// draw; the row is the round's id.
	SealedRoundSeed SealedField = "rounds.seed"
)

// SealedFields lists every sealed field.
func SealedFields() []SealedField {
	return []SealedField{SealedProfilePhone, SealedProfileNationalID, SealedProfileBankAccount, SealedHireNationalID,
		SealedHirePhone, SealedInvitationCode, SealedInvitationContact, SealedNominationContact, SealedRegistrationPhone,
		SealedRoundSeed}
}
