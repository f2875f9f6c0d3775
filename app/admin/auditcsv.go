package admin

import (
	"context"
	"encoding/csv"
	"io"
	"strings"
	"time"

	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
)

// Audit reads the account's audit log, page by page or as CSV.
type Audit struct {
	store *models.Store
}

// NewAudit returns the audit log's service.
func NewAudit(store *models.Store) *Audit { return &Audit{store: store} }

// ExportAudit writes every event of the actor's account's audit log that
// matches f (its cursor and page size are ignored) to w as CSV, newest
// first, after a header row: the stored columns for machines, then the
// event in words (audit.Describe's sentence) for people. Unlike the page,
// the CSV carries the whole user agent. It returns ErrNoAuditView unless the actor holds "View the
// audit log", and an *AuditFilterError for a filter that is not valid,
// both before anything is written; after that, the error of the database
// or of w.
func (s *Audit) ExportAudit(ctx context.Context, actor *identity.Principal, f AuditFilter, w io.Writer) error {
	if !actor.Can(identity.PermAuditView) {
		return ErrNoAuditView
	}
	if err := f.Check(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := []string{"time", "actor", "action", "target", "ip", "user agent", "details", "description"}
	if err := cw.Write(header); err != nil {
		return err
	}
	err := s.store.Audit.Each(ctx, storeFilter(actor.Account.ID, f), func(e models.AuditEvent) error {
		return cw.Write(auditRecord(e))
	})
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

// auditRecord is one event as a CSV row, every cell made safe.
func auditRecord(e models.AuditEvent) []string {
	row := []string{e.At.UTC().Format(time.RFC3339), e.ActorName, e.Action, e.TargetName, e.IP, e.UserAgent, e.Details,
		audit.Describe(e, identity.PermissionLabel).Sentence}
	for i, cell := range row {
		row[i] = CSVSafe(cell)
	}
	return row
}

// CSVSafe keeps a spreadsheet from running a cell as a formula ("CSV
// injection"): names and user agents are typed by anyone, and a cell that
// starts with = + - @, a tab or a carriage return is a formula to Excel,
// LibreOffice or Google Sheets. OWASP's remedy is a leading single quote,
// which they show as text.
func CSVSafe(cell string) string {
	if cell != "" && strings.IndexByte("=+-@\t\r", cell[0]) >= 0 {
		return "'" + cell
	}
	return cell
}
