package admin

// SetBeforeCommit lets tests fail a bulk batch just before it commits.
func SetBeforeCommit(b *Bulk, fn func(ids []int64) error) { b.beforeCommit = fn }

// SetBatchSize changes how many users one bulk transaction handles.
func SetBatchSize(b *Bulk, n int) { b.batch = n }
