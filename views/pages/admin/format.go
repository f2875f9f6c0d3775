package admin

import (
	"strconv"

	"accountportal/views/viewmodel"
)

func itoa(n int) string { return strconv.Itoa(n) }

func summary(m viewmodel.BulkPage) string {
	return strconv.Itoa(m.Done) + " done, " + strconv.Itoa(m.Skipped) + " skipped, " + strconv.Itoa(m.Failed) + " failed."
}

func countText(m viewmodel.BulkPage) string {
	s := strconv.FormatInt(m.Total, 10) + " users"
	if m.Total == 1 {
		s = "1 user"
	}
	if m.More > 0 {
		return s + ": the first are listed below, and " + strconv.FormatInt(m.More, 10) + " more."
	}
	return s + ":"
}
