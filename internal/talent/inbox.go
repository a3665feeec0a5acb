package talent

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// pushTimeout bounds one push send.
const pushTimeout = 10 * time.Second

// RegisterDevice saves the caller's device token for push.
func (s *Service) RegisterDevice(ctx context.Context, actor User, d Device) error {
	var fields []FieldError
	if n := len(d.Token); n < 16 || n > 4096 || strings.ContainsAny(d.Token, " \t\r\n/") {
		fields = append(fields, FieldError{Field: "token", Code: "device_token_format"})
	}
	if !slices.Contains([]string{"ios", "android", "harmony"}, d.Platform) {
		fields = append(fields, FieldError{Field: "platform", Code: "platform_unsupported"})
	}
	if utf8.RuneCountInString(d.AppVersion) > 32 {
		fields = append(fields, FieldError{Field: "appVersion", Code: "text_too_long"})
	}
	if len(fields) > 0 {
		return Invalid(fields...)
	}
	d.UserID, d.LastSeenAt = actor.ID, s.now()
	return s.Store.SaveDevice(ctx, d)
}

// RemoveDevice forgets the caller's device token (sign-out on the phone).
func (s *Service) RemoveDevice(ctx context.Context, actor User, token string) error {
	return s.Store.DeleteDevice(ctx, actor.ID, token)
}

// Notifications lists the caller's inbox.
func (s *Service) Notifications(ctx context.Context, actor User, page Page) ([]Notification, string, error) {
	return s.Store.Notifications(ctx, actor.ID, page)
}

// MarkNotificationRead marks one of the caller's inbox entries read.
func (s *Service) MarkNotificationRead(ctx context.Context, actor User, id string) (Notification, error) {
	return s.Store.MarkNotificationRead(ctx, actor.ID, id, s.now())
}

// Notify writes the inbox entry for req (once per event) and pushes it to
// each of the user's devices that has not received it yet. A token FCM
// reports gone is deleted; a rejected message is logged and not retried; a
// transient failure returns KindUnavailable so the task is retried later.
func (s *Service) Notify(ctx context.Context, req NotifyRequest) error {
	u, err := s.Store.User(ctx, req.UserID)
	if err != nil {
		return err
	}
	msg, ok := render(req.Template, u.Locale, req.Params)
	if !ok {
		return Errorf(KindInvalid, "template_unknown", "unknown notification template %q", req.Template)
	}
	id := NewID()
	data := map[string]string{"notificationId": id, "template": req.Template}
	if req.Link != "" {
		data["link"] = req.Link
	}
	n, err := s.Store.AddNotification(ctx, Notification{
		ID: id, UserID: u.ID, EventID: req.EventID, Template: req.Template,
		Title: msg.Title, Body: msg.Body, Data: data, CreatedAt: s.now(),
	})
	if err != nil {
		return err
	}
	devices, err := s.Store.Devices(ctx, u.ID)
	if err != nil {
		return err
	}
	done, err := s.Store.PushedTokens(ctx, n.ID)
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
		err := s.Pusher.Push(pctx, PushMessage{Token: d.Token, Title: n.Title, Body: n.Body, Data: n.Data})
		cancel()
		switch {
		case err == nil:
			err = s.Store.RecordPush(ctx, n.ID, d.Token)
		case ErrorCode(err) == CodePushUnregistered:
			err = s.Store.DeleteDeviceToken(ctx, d.Token)
		case ErrorCode(err) == CodePushRejected:
			s.Logger.WarnContext(ctx, "push rejected; token kept", "notification", n.ID, "platform", d.Platform, "err", err)
			err = s.Store.RecordPush(ctx, n.ID, d.Token)
		}
		if err != nil {
			retry = err
		}
	}
	return retry
}
