package firebase

import (
	"context"

	"firebase.google.com/go/v4/auth"
)

// UIDByEmail implements account.Accounts with the Admin SDK's user lookup:
// Anju keeps no email addresses, Firebase Auth does. Only an address the
// account proved (email_verified) counts, as in Verify: an email/password
// account can claim any address.
func (v *Verifier) UIDByEmail(ctx context.Context, email string) (string, error) {
	u, err := v.client.GetUserByEmail(ctx, email)
	switch {
	case auth.IsUserNotFound(err):
		return "", nil
	case err != nil:
		return "", verifyError(err)
	case !u.EmailVerified:
		return "", nil
	}
	return u.UID, nil
}
