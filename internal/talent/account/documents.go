package account

import (
	"context"

	"github.com/anju-city/anju/internal/filetype"
	"github.com/anju-city/anju/internal/talent"
)

// CreateDocument records a declared upload and returns the presigned policy
// the app posts the file with. The object key is chosen here, never by the client.
func (s *Service) CreateDocument(ctx context.Context, actor talent.User, in talent.DocumentInput) (talent.Document, talent.UploadForm, error) {
	if err := in.Validate(); err != nil {
		return talent.Document{}, talent.UploadForm{}, err
	}
	now := s.now()
	d := talent.Document{
		ID: talent.NewID(), OwnerID: actor.ID, Kind: in.Kind, ContentType: in.ContentType, Size: in.Size,
		SHA256: in.SHA256, Status: talent.DocPending, CreatedAt: now, UpdatedAt: now,
	}
	d.ObjectKey = "documents/" + actor.ID + "/" + d.ID
	form, err := s.Objects.PresignUpload(ctx, d.ObjectKey, d.ContentType, d.Size, s.UploadTTL)
	if err != nil {
		return talent.Document{}, talent.UploadForm{}, err
	}
	if err := s.DocumentStore.CreateDocument(ctx, d); err != nil {
		return talent.Document{}, talent.UploadForm{}, err
	}
	return d, form, nil
}

// CompleteDocument is the app saying the upload finished; it queues the
// inspection. Completing twice is harmless.
func (s *Service) CompleteDocument(ctx context.Context, actor talent.User, id string) (talent.Document, error) {
	return s.DocumentStore.UpdateDocument(ctx, id, func(d *talent.Document) ([]talent.Task, error) {
		if d.OwnerID != actor.ID {
			return nil, talent.NotFound(talent.CodeDocumentNotFound)
		}
		if !talent.DocumentTransitions.Allows(d.Status, talent.DocComplete) {
			return nil, nil
		}
		d.Status, _ = talent.DocumentTransitions.Next(d.Status, talent.DocComplete)
		d.UpdatedAt = s.now()
		return []talent.Task{InspectDocument{DocumentID: d.ID}}, nil
	})
}

// canReadDocument: the owner, and staff whose work holds a claim the
// document is linked to (WorkOf; see allowance.InWork).
func (s *Service) canReadDocument(ctx context.Context, actor talent.User, d talent.Document) (bool, error) {
	if d.OwnerID == actor.ID {
		return true, nil
	}
	if s.WorkOf == nil || !actor.IsStaff() {
		return false, nil
	}
	return s.WorkOf(ctx, actor, d.ID)
}

// Document returns a document the caller may see and, once its bytes have
// passed inspection, a short-lived download URL.
func (s *Service) Document(ctx context.Context, actor talent.User, id string) (talent.Document, string, error) {
	d, err := s.DocumentStore.Document(ctx, id)
	if err != nil {
		return talent.Document{}, "", err
	}
	if ok, err := s.canReadDocument(ctx, actor, d); err != nil {
		return talent.Document{}, "", err
	} else if !ok {
		return talent.Document{}, "", talent.NotFound(talent.CodeDocumentNotFound)
	}
	if d.Status != talent.DocAccepted {
		return d, "", nil
	}
	if d.OwnerID != actor.ID {
		if err := s.AccessLog.Record(ctx, talent.Access{At: s.now(), ActorID: actor.ID, SubjectID: d.OwnerID,
			What: talent.AccessDocument, ObjectID: d.ID}); err != nil {
			return talent.Document{}, "", err
		}
	}
	if d.InspectedKey == "" {
		if d, err = s.freezeAccepted(ctx, d); err != nil || d.InspectedKey == "" {
			return d, "", err
		}
	}
	url, err := s.Objects.PresignDownload(ctx, d.InspectedKey, s.DownloadTTL)
	if err != nil {
		return talent.Document{}, "", err
	}
	return d, url, nil
}

// freezeAccepted gives a document accepted before inspection kept a copy
// (no InspectedKey) its copy now, but only if the bytes under its upload
// key still are the ones inspection accepted: same size and SHA-256. If
// they were replaced, the document is served no more (no URL).
func (s *Service) freezeAccepted(ctx context.Context, d talent.Document) (talent.Document, error) {
	key := talent.InspectedKeyOf(d.ID)
	err := s.Objects.Copy(ctx, d.ObjectKey, key)
	if talent.ErrorKind(err) == talent.KindNotFound {
		return d, nil
	}
	if err != nil {
		return talent.Document{}, err
	}
	info, err := s.Objects.Inspect(ctx, key)
	if err != nil {
		return talent.Document{}, err
	}
	if info.Size != d.Size || info.SHA256 != d.SHA256 {
		return d, s.Objects.Delete(ctx, key)
	}
	return s.DocumentStore.UpdateDocument(ctx, d.ID, func(d *talent.Document) ([]talent.Task, error) {
		if d.InspectedKey == "" {
			d.InspectedKey = key
		}
		return nil, nil
	})
}

// Documents lists the caller's own documents.
func (s *Service) Documents(ctx context.Context, actor talent.User, page talent.Page) ([]talent.Document, string, error) {
	return s.DocumentStore.Documents(ctx, actor.ID, page)
}

// InspectDocument checks an uploaded document's bytes against its
// declaration and decides it. It is idempotent: a redelivered task finds the
// decision made and only makes sure a rejected file's bytes are gone.
func (s *Service) InspectDocument(ctx context.Context, id string) error {
	d, err := s.DocumentStore.Document(ctx, id)
	if err != nil {
		return err
	}
	switch d.Status {
	case talent.DocRejected:
		return s.deleteBytes(ctx, d)
	case talent.DocInspecting:
	default:
		return nil
	}
	// The bytes are copied first and the copy is what is inspected and,
	// once accepted, served: the upload policy stays valid for its whole
	// life, so the bytes under the upload key may change at any time.
	var reason string
	frozen := talent.InspectedKeyOf(d.ID)
	var info talent.ObjectInfo
	err = s.Objects.Copy(ctx, d.ObjectKey, frozen)
	if err == nil {
		info, err = s.Objects.Inspect(ctx, frozen)
	}
	switch {
	case talent.ErrorKind(err) == talent.KindNotFound:
		reason = talent.RejectNotUploaded
	case err != nil:
		return err
	default:
		reason = d.Inspect(info, filetype.Detect(info.Head))
	}
	d, err = s.DocumentStore.UpdateDocument(ctx, id, func(d *talent.Document) ([]talent.Task, error) {
		ev, template := talent.DocAccept, "document.accepted"
		if reason != "" {
			ev, template = talent.DocReject, "document.rejected"
		}
		if !talent.DocumentTransitions.Allows(d.Status, ev) {
			return nil, nil // decided by an earlier delivery
		}
		d.Status, _ = talent.DocumentTransitions.Next(d.Status, ev)
		if ev == talent.DocAccept {
			d.InspectedKey = frozen
		}
		now := s.now()
		d.UpdatedAt, d.InspectedAt, d.RejectReason = now, &now, reason
		note := talent.NotifyRequest{
			UserID: d.OwnerID, EventID: template + ":" + d.ID, Template: template,
			Params: map[string]string{"kind": string(d.Kind)}, Link: "anju://documents/" + d.ID,
		}
		if reason != "" {
			note.Params["reason"] = reason
		}
		return []talent.Task{note}, nil
	})
	if err != nil {
		return err
	}
	if d.Status == talent.DocRejected {
		return s.deleteBytes(ctx, d)
	}
	// Accepted: the upload key's bytes are no longer needed; anything
	// posted there later is never read.
	return s.Objects.Delete(ctx, d.ObjectKey)
}

// deleteBytes removes a rejected document's upload and its inspected copy.
func (s *Service) deleteBytes(ctx context.Context, d talent.Document) error {
	if err := s.Objects.Delete(ctx, talent.InspectedKeyOf(d.ID)); err != nil {
		return err
	}
	return s.Objects.Delete(ctx, d.ObjectKey)
}
