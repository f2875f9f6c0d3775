package models

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// slowStatement is how long a statement may take before it is logged as a
// warning.
const slowStatement = 200 * time.Millisecond

// statementLog sends failed and slow statements to slog, and every
// statement when the logger is enabled at debug level. Unlike GORM's own
// slog adapter it renders the SQL only for a statement it will log: that
// rendering runs regular expressions over the text and showed up in the
// portal's profiles on every query.
//
// A statement that failed because the database is unreachable is not
// logged here but told to the outage log, which logs the outage once.
type statementLog struct {
	log    *slog.Logger
	outage *outage
}

func newStatementLog(l *slog.Logger, o *outage) logger.Interface {
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return statementLog{log: l, outage: o}
}

func (s statementLog) LogMode(logger.LogLevel) logger.Interface { return s }

func (s statementLog) Info(ctx context.Context, msg string, args ...any) {
	s.log.InfoContext(ctx, msg, args...)
}

func (s statementLog) Warn(ctx context.Context, msg string, args ...any) {
	s.log.WarnContext(ctx, msg, args...)
}

func (s statementLog) Error(ctx context.Context, msg string, args ...any) {
	s.log.ErrorContext(ctx, msg, args...)
}

func (s statementLog) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	countStatement(ctx)
	s.outage.note(ctx, err)
	level := slog.LevelDebug
	switch {
	case Unreachable(err):
		return
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound):
		level = slog.LevelError
	case elapsed > slowStatement:
		level = slog.LevelWarn
	}
	if !s.log.Enabled(ctx, level) {
		return
	}
	sql, rows := fc()
	attrs := []slog.Attr{slog.String("sql", sql), slog.Duration("duration", elapsed), slog.Int64("rows", rows)}
	if err != nil {
		attrs = append(attrs, slog.String("err", err.Error()))
	}
	s.log.LogAttrs(ctx, level, "SQL statement", attrs...)
}

// ParamsFilter keeps bound values out of the log: they include password
// hashes, sealed secrets and personal details.
func (statementLog) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

func init() {
	// Raw queries read with Scan pass through GORM's recorder, which would
	// otherwise write the bound values into the SQL text given to the log.
	logger.RecorderParamsFilter = func(_ context.Context, sql string, _ ...any) (string, []any) { return sql, nil }
}
