package daemon

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"

	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/store"
)

// metaPKCEVerifier keeps the verifier of an authorization in progress.
const metaPKCEVerifier = "zalo_pkce_verifier"

// ZaloAuth is the OA's authorization: OAuth with PKCE, its tokens kept in
// the database.
type ZaloAuth struct {
	DB     *store.DB
	Client *zalo.Client
}

// Begin starts an authorization and returns the page where an OA admin
// agrees; Zalo sends them back to redirect with a code for Finish.
func (z ZaloAuth) Begin(ctx context.Context, redirect string) (string, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	verifier := base64.RawURLEncoding.EncodeToString(b)
	if err := z.DB.SetMeta(ctx, metaPKCEVerifier, verifier); err != nil {
		return "", err
	}
	return z.Client.AuthURL(redirect, verifier, "loa"), nil
}

// Finish trades the code Zalo gave for tokens and keeps them.
func (z ZaloAuth) Finish(ctx context.Context, code string) error {
	verifier, err := z.DB.Meta(ctx, metaPKCEVerifier)
	if err != nil || verifier == "" {
		return i18n.Errorf("hãy chạy \"loa zalo auth\" không có --code trước", "run \"loa zalo auth\" without --code first")
	}
	if err := z.Client.Exchange(ctx, code, verifier); err != nil {
		return err
	}
	return z.DB.SetMeta(ctx, metaPKCEVerifier, "")
}

// Check asks the OA for its name with the stored tokens (refreshing them if
// due) and returns it with the tokens as they now are.
func (z ZaloAuth) Check(ctx context.Context) (string, zalo.Tokens, error) {
	t, ok, err := z.DB.ZaloTokens(ctx)
	if err != nil {
		return "", t, err
	}
	if !ok {
		return "", t, i18n.Errorf("OA chưa được cấp quyền: chạy loa zalo auth", "the OA was never authorized: run loa zalo auth")
	}
	name, err := z.Client.Check(ctx)
	if errors.Is(err, zalo.ErrNeedsReauth) {
		return "", t, i18n.Errorf("cần cấp quyền lại (loa zalo auth): %s", "re-authorization needed (loa zalo auth): %s", t.NeedsReauth)
	}
	if err != nil {
		return "", t, err
	}
	t, _, err = z.DB.ZaloTokens(ctx)
	return name, t, err
}
