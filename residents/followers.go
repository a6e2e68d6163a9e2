package residents

import (
	"context"
	"strconv"
	"time"

	"github.com/loa-ward/loa/channels/zalo"
)

// The meta keys a follower sync keeps its place in.
const (
	metaSyncOffset = "zalo_sync_offset" // the next page of an unfinished sync
	metaSyncedAt   = "zalo_synced_at"   // when the last full sync finished
)

// FollowerSource lists an OA's followers page by page (zalo.Client).
type FollowerSource interface {
	Followers(ctx context.Context, s zalo.Sync) error
}

// SyncFollowers records the OA's followers, page by page, resuming where an
// interrupted sync stopped; details are fetched only for those who
// consented and are not yet known by name, and for staff (see
// Store.FollowersToAsk). It returns how many followers this pass recorded.
func (r *Registry) SyncFollowers(ctx context.Context, src FollowerSource) (int, error) {
	from := 0
	if v, err := r.Store.Meta(ctx, metaSyncOffset); err != nil {
		return 0, err
	} else if v != "" {
		from, _ = strconv.Atoi(v)
	}
	n := 0
	err := src.Followers(ctx, zalo.Sync{From: from, Details: r.Store.FollowersToAsk,
		Page: func(fs []zalo.Follower, next int) error {
			seen := make([]Follower, len(fs))
			for i, f := range fs {
				seen[i] = Follower{UserID: f.UserID, Name: f.Name, LastInteraction: f.LastInteraction}
			}
			if err := r.Store.RecordFollowers(ctx, seen, "zalo:follow", r.Now()); err != nil {
				return err
			}
			n += len(fs)
			if next == 0 {
				if err := r.Store.SetMeta(ctx, metaSyncOffset, ""); err != nil {
					return err
				}
				return r.Store.SetMeta(ctx, metaSyncedAt, r.Now().UTC().Format(time.RFC3339))
			}
			return r.Store.SetMeta(ctx, metaSyncOffset, strconv.Itoa(next))
		}})
	return n, err
}

// FollowersDue reports whether a follower sync should run now: one was
// interrupted, or the last full one is a day old (webhooks keep the list
// current in between).
func (r *Registry) FollowersDue(ctx context.Context) (bool, error) {
	if v, err := r.Store.Meta(ctx, metaSyncOffset); err != nil || v != "" {
		return v != "", err
	}
	v, err := r.Store.Meta(ctx, metaSyncedAt)
	if err != nil {
		return false, err
	}
	at, perr := time.Parse(time.RFC3339, v)
	return perr != nil || r.Now().Sub(at) >= 24*time.Hour, nil
}
