package account

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
)

// pushTimeout bounds one push send.
const pushTimeout = 10 * time.Second

// DeviceTakeoverIdle is how long a push token must have gone unused by its
// account before another account may register it. A token is the
// address of one app install: registered silently by someone else, it
// would carry their notifications to this phone and stop the owner's.
// The app unregisters its token at sign-out, which frees it at once; FCM
// reporting it dead frees it too.
const DeviceTakeoverIdle = 30 * 24 * time.Hour

// RegisterDevice saves the caller's device token for push; a token another
// account registered and used within DeviceTakeoverIdle is refused.
func (s *Service) RegisterDevice(ctx context.Context, actor talent.User, d talent.Device) error {
	var fields []talent.FieldError
	if n := len(d.Token); n < 16 || n > 4096 || strings.ContainsAny(d.Token, " \t\r\n/") {
		fields = append(fields, talent.FieldError{Field: "token", Code: talent.CodeDeviceTokenFormat})
	}
	if !slices.Contains([]string{"ios", "android", "harmony"}, d.Platform) {
		fields = append(fields, talent.FieldError{Field: "platform", Code: talent.CodePlatformUnsupported})
	}
	if utf8.RuneCountInString(d.AppVersion) > 32 {
		fields = append(fields, talent.FieldError{Field: "appVersion", Code: talent.CodeTextTooLong})
	}
	if len(fields) > 0 {
		return talent.Invalid(fields...)
	}
	d.UserID, d.LastSeenAt = actor.ID, s.now()
	return s.InboxStore.SaveDevice(ctx, d, d.LastSeenAt.Add(-DeviceTakeoverIdle))
}

// RemoveDevice forgets the caller's device token (sign-out on the phone).
func (s *Service) RemoveDevice(ctx context.Context, actor talent.User, token string) error {
	return s.InboxStore.DeleteDevice(ctx, actor.ID, token)
}

// Notifications lists the caller's inbox.
func (s *Service) Notifications(ctx context.Context, actor talent.User, page talent.Page) ([]talent.Notification, string, error) {
	return s.InboxStore.Notifications(ctx, actor.ID, page)
}

// MarkNotificationRead marks one of the caller's inbox entries read.
func (s *Service) MarkNotificationRead(ctx context.Context, actor talent.User, id string) (talent.Notification, error) {
	return s.InboxStore.MarkNotificationRead(ctx, actor.ID, id, s.now())
}

// Notify writes the inbox entry for req (once per event) and pushes it to
// each of the user's devices that has not received it yet. A token FCM
// reports gone is deleted; a rejected message is logged and not retried; a
// transient failure returns KindUnavailable so the task is retried later.
func (s *Service) Notify(ctx context.Context, req talent.NotifyRequest) error {
	u, err := s.UserStore.User(ctx, req.UserID)
	if err != nil {
		return err
	}
	title, body, err := talent.Render(req.Template, u.Locale, req.Params, req.Texts)
	if err != nil {
		return err
	}
	id := talent.NewID()
	data := map[string]string{"notificationId": id, "template": req.Template}
	if req.Link != "" {
		data["link"] = req.Link
	}
	n, err := s.InboxStore.AddNotification(ctx, talent.Notification{
		ID: id, UserID: u.ID, EventID: req.EventID, Template: req.Template,
		Title: title, Body: body, Data: data, CreatedAt: s.now(),
	})
	if err != nil {
		return err
	}
	return s.InboxStore.WithPushLock(ctx, n.ID, func(ctx context.Context) error { return s.push(ctx, n) })
}

// push sends n to each of its user's devices that has not received it yet.
func (s *Service) push(ctx context.Context, n talent.Notification) error {
	devices, err := s.InboxStore.Devices(ctx, n.UserID)
	if err != nil {
		return err
	}
	done, err := s.InboxStore.PushedTokens(ctx, n.ID)
	if err != nil {
		return err
	}
	var retry error
	for _, d := range devices {
		if slices.Contains(done, d.Token) {
			continue
		}
		// Bound each send: the FCM client retries some failures by itself, and
		// the task as a whole is retried anyway.
		pctx, cancel := context.WithTimeout(ctx, pushTimeout)
		err := s.Pusher.Push(pctx, talent.PushMessage{ID: n.ID, Token: d.Token, Platform: d.Platform, Title: n.Title, Body: n.Body, Data: n.Data})
		cancel()
		switch {
		case err == nil:
			err = s.InboxStore.RecordPush(ctx, n.ID, d.Token)
		case talent.HasCode(err, talent.CodePushUnregistered):
			err = s.InboxStore.DeleteDeviceToken(ctx, d.Token)
		case talent.HasCode(err, talent.CodePushRejected):
			s.Logger.WarnContext(ctx, "push rejected; token kept", "notification", n.ID, "platform", d.Platform, "err", err)
			err = s.InboxStore.RecordPush(ctx, n.ID, d.Token)
		}
		if err != nil {
			retry = err
		}
	}
	return retry
}
