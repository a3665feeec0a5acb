package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"regexp"
	"time"

	"github.com/anju-city/anju/internal/firebase"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
)

func migrate(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New(commandUsage("migrate"))
	}
	s, err := connect(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer s.close()
	return s.db.Migrate(ctx, args[0], stdout)
}

// admin grants a role from the command line: how the first admin of a new
// installation is made (ANJU_BOOTSTRAP_ADMINS is the other way).
func admin(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "grant" {
		return errors.New(commandUsage("admin"))
	}
	fs := flag.NewFlagSet("admin grant", flag.ContinueOnError)
	fs.SetOutput(stdout)
	uid := fs.String("uid", "", "Firebase uid of the user")
	role := fs.String("role", "", "role to grant: reviewer, lead_reviewer, housing, finance, admin, or employer_admin or hr with --employer")
	employer := fs.String("employer", "", "employer id (employer_admin and hr only)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *uid == "" || *role == "" {
		return errors.New("--uid and --role are required")
	}
	if r := talent.Role(*role); !r.Valid() || r.EmployerScoped() != (*employer != "") {
		return fmt.Errorf("--role %s: unknown, or --employer given where it does not belong (only employer_admin and hr take one)", *role)
	}
	s, err := build(ctx, cfg, stdout, nil)
	if err != nil {
		return err
	}
	defer s.close()
	u, err := s.grant(ctx, *uid, talent.Role(*role), *employer)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "granted %s to %s (user %s)\n", *role, *uid, u.ID)
	return nil
}

// grant signs the uid in (creating the user if needed) and grants a role
// with the authority of the command line.
func (s *system) grant(ctx context.Context, uid string, role talent.Role, employerID string) (talent.User, error) {
	users := s.db.Users()
	u, err := users.SignIn(ctx, uid, false)
	if err != nil {
		return talent.User{}, err
	}
	if role == talent.RoleGraduate {
		return u, nil
	}
	system := talent.User{ID: u.ID, Roles: []talent.RoleGrant{{Role: talent.RoleAdmin}}}
	g := talent.RoleGrant{Role: role, EmployerID: employerID}
	if role == talent.RoleAdmin || role.EmployerScoped() {
		// The command line is the authority here (an installation's first
		// admin, an employer's first admin); record no granting user.
		u, err := users.GrantRole(ctx, u.ID, talent.RoleGrant{Role: role, EmployerID: employerID, GrantedAt: time.Now()}, "")
		if err == nil {
			s.users.Invalidate(ctx, u.ID)
		}
		return u, err
	}
	return s.app.Account.GrantRole(ctx, system, u.ID, g)
}

// Demo data for development: one employer, one account per role.
const (
	demoEmployerName = "慈溪智造科技有限公司"
	demoCreditCode   = "91330282MA2H3B8K4N"
	demoPassword     = "anju-demo-password"
)

// persona is the name of an account `dev token --as` makes.
var persona = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)

var demoRoles = []talent.Role{talent.RoleGraduate, talent.RoleHR, talent.RoleEmployerAdmin, talent.RoleReviewer, talent.RoleLeadReviewer, talent.RoleHousing, talent.RoleFinance, talent.RoleAdmin}

func demoUID(role talent.Role) string   { return "demo-" + string(role) }
func demoEmail(role talent.Role) string { return "demo-" + string(role) + "@anju.local" }

// demoPhone is a demo account's phone number (E.164), the same every time.
func demoPhone(uid string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(uid))
	return fmt.Sprintf("+86139%08d", h.Sum32()%100_000_000)
}

func dev(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if cfg.Env == "production" {
		return errors.New("dev commands are for development only (ANJU_ENV=production)")
	}
	if cfg.AuthEmulatorHost == "" {
		return errors.New("FIREBASE_AUTH_EMULATOR_HOST: dev commands need the Firebase Auth emulator; `make run` starts it")
	}
	emu := &firebase.Emulator{Host: cfg.AuthEmulatorHost, ProjectID: cfg.FirebaseProjectID}
	if len(args) == 0 {
		return errors.New(commandUsage("dev"))
	}
	switch args[0] {
	case "token":
		fs := flag.NewFlagSet("dev token", flag.ContinueOnError)
		fs.SetOutput(stdout)
		role := fs.String("role", "graduate", "demo account: graduate, hr, employer_admin, reviewer, lead_reviewer, housing, finance or admin")
		as := fs.String("as", "", "a fresh account of this name (letters, digits, -), created without a role: a persona for a walkthrough")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		uid, email := demoUID(talent.Role(*role)), demoEmail(talent.Role(*role))
		switch {
		case *as != "":
			if !persona.MatchString(*as) {
				return fmt.Errorf("--as %q: letters, digits and - only", *as)
			}
			uid, email = "demo-"+*as, "demo-"+*as+"@anju.local"
		case !talent.Role(*role).Valid():
			return fmt.Errorf("--role: unknown role %q", *role)
		}
		// Graduates and personas sign in by phone, as the app does; staff
		// by password, as the console does.
		byPhone := *as != "" || talent.Role(*role) == talent.RoleGraduate
		if byPhone {
			if err := emu.EnsureUser(ctx, uid, email, demoPassword, demoPhone(uid)); err != nil {
				return fmt.Errorf("account %s: %w", email, err)
			}
			got, token, err := emu.SignInWithPhone(ctx, demoPhone(uid))
			if err == nil && got != uid {
				err = fmt.Errorf("signed in as uid %q, want %q", got, uid)
			}
			if err != nil {
				return fmt.Errorf("signing in %s by phone at the emulator: %w", uid, err)
			}
			fmt.Fprintln(stdout, token)
			return nil
		}
		token, err := emu.TokenFor(ctx, uid, email, demoPassword)
		if err != nil {
			return fmt.Errorf("signing in %s at the emulator: %w", email, err)
		}
		fmt.Fprintln(stdout, token)
		return nil
	case "seed":
		return seed(ctx, cfg, emu, stdout)
	case "end-notices":
		return endNotices(ctx, cfg, stdout)
	}
	return fmt.Errorf("unknown dev command %q", args[0])
}

// seed loads the demo data; running it again changes nothing.
func seed(ctx context.Context, cfg Config, emu *firebase.Emulator, stdout io.Writer) error {
	s, err := build(ctx, cfg, io.Discard, nil)
	if err != nil {
		return err
	}
	defer s.close()
	employers := s.db.Employers()
	employer, err := employers.EmployerByCreditCode(ctx, demoCreditCode)
	if talent.ErrorKind(err) == talent.KindNotFound {
		employer = talent.Employer{ID: talent.NewID(), Name: demoEmployerName, CreditCode: demoCreditCode, CreatedAt: time.Now()}
		err = employers.CreateEmployer(ctx, employer)
	}
	if err != nil {
		return fmt.Errorf("demo employer: %w", err)
	}
	for _, r := range demoRoles {
		phone := ""
		if r == talent.RoleGraduate {
			phone = demoPhone(demoUID(r))
		}
		if err := emu.EnsureUser(ctx, demoUID(r), demoEmail(r), demoPassword, phone); err != nil {
			return fmt.Errorf("demo account %s: %w", r, err)
		}
		employerID := ""
		if r.EmployerScoped() {
			employerID = employer.ID
		}
		if _, err := s.grant(ctx, demoUID(r), r, employerID); err != nil {
			return fmt.Errorf("demo role %s: %w", r, err)
		}
	}
	grad, err := s.db.Users().SignIn(ctx, demoUID(talent.RoleGraduate), false)
	if err != nil {
		return err
	}
	// The command line is the authority here: it sets the account as one
	// who just signed in.
	grad.AuthTime = time.Now()
	// The demo graduate's profile is reset on every seed.
	_, err = s.app.Account.UpdateProfile(ctx, grad, talent.ProfileInput{
		Name: "李明", Phone: "13800138000", Locale: talent.LocaleZH,
		NationalID: "330282199806150423", HukouPlace: "江西省南昌市",
		Education: []talent.Education{{
			Level: talent.LevelMaster, Institution: "南昌大学", FullTime: true,
			GraduationDate: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), DiplomaNumber: "104031202502000123",
		}},
		Employer:    &talent.EmployerDeclaration{Name: demoEmployerName, CreditCode: demoCreditCode, Since: time.Date(2025, 7, 15, 0, 0, 0, 0, time.UTC)},
		BankName:    "中国银行慈溪支行",
		BankAccount: "6217856100012345678",
	})
	if err != nil && !talent.HasCode(err, account.CodeNationalIDTaken) {
		return fmt.Errorf("demo profile: %w", err)
	}

	fmt.Fprintf(stdout, "demo data loaded: employer %s (%s) and one account per role.\n\n", employer.Name, employer.ID)
	fmt.Fprintln(stdout, "Get an ID token for a demo account (valid for one hour) and call the API:")
	for _, r := range demoRoles {
		fmt.Fprintf(stdout, "  TOKEN=$(.tools/bin/anju dev token --role %s)\n", r)
	}
	fmt.Fprintln(stdout, "  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/v1/me")
	fmt.Fprintln(stdout, "\nOr walk a whole allowance claim, phone side and staff side: scripts/walkthrough.sh")
	return nil
}

// endNotices ends every approval's public notice now, as if its working
// days had passed, so that a demo need not wait a week for the payments.
// Objected approvals stay held, as they would.
func endNotices(ctx context.Context, cfg Config, stdout io.Writer) error {
	s, err := build(ctx, cfg, io.Discard, nil)
	if err != nil {
		return err
	}
	defer s.close()
	tag, err := s.db.Pool().Exec(ctx, `UPDATE claims SET notice_until = now() WHERE status = 'approved' AND notice_until > now()`)
	if err != nil {
		return err
	}
	if _, err := s.db.Pool().Exec(ctx, `UPDATE publicity_entries SET ends_at = now() WHERE kind = 'claim' AND status IN ('open', 'objected') AND ends_at > now()`); err != nil {
		return err
	}
	if err := s.app.Allowance.EndNotices(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ended %d public notices; approvals without an open objection are now paying.\n", tag.RowsAffected())
	return nil
}
