package api

import (
	"context"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/gofiber/fiber/v2"
)

func (h *accountHandlers) SearchUsers(c *fiber.Ctx, params gen.SearchUsersParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.UserSearchPage, error) {
		list, next, err := h.account.SearchUsers(ctx, u, value(params.Q), talent.Role(value(params.Role)), page(params.Cursor, params.Limit))
		return gen.UserSearchPage{Items: each(list, toUserHit), NextCursor: optional(next)}, err
	}, same)
}

func toUserHit(x account.UserHit) gen.UserSearchHit {
	u := toUser(x.User)
	return gen.UserSearchHit{Id: u.Id, Roles: u.Roles, CreatedAt: u.CreatedAt, LastSeenAt: utc(x.LastSeenAt),
		Name: optional(x.Name), NationalId: optional(x.NationalIDMasked), Phone: optional(x.PhoneMasked)}
}
