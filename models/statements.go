package models

import (
	"context"
	"sync/atomic"
)

// statementCounter counts the statements run under one context.
type statementCounter struct{ n atomic.Int32 }

type statementCounterKey struct{}

// CountStatements returns a context under which every statement the store
// runs is counted, and a function that reads the count. The access log
// uses it to show how many round trips to the database each request cost;
// tests use it to hold pages to a budget.
func CountStatements(ctx context.Context) (context.Context, func() int) {
	c := &statementCounter{}
	return context.WithValue(ctx, statementCounterKey{}, c), func() int { return int(c.n.Load()) }
}

// countStatement adds one to ctx's counter, if it has one.
func countStatement(ctx context.Context) {
	if c, ok := ctx.Value(statementCounterKey{}).(*statementCounter); ok {
		c.n.Add(1)
	}
}
