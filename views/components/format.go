package components

import (
	"context"
	"strconv"
	"time"

	"accountportal/views/i18n"
	"accountportal/views/viewmodel"
)

func itoa(n int) string { return strconv.Itoa(n) }

// local is w as the reader sees it: in their time zone, with the names of
// months and days and the order of their language.
func local(ctx context.Context, w viewmodel.When) viewmodel.When {
	at, now := w.Moment()
	loc := i18n.Zone(ctx)
	at, now = at.In(loc), now.In(loc)
	return viewmodel.When{Short: i18n.ShortDate(ctx, at, now), Full: i18n.FullDate(ctx, at), ISO: at.Format(time.RFC3339)}
}
