package admin

// SetBeforeCommit lets tests fail a bulk batch just before it commits.
func SetBeforeCommit(s *Service, fn func(ids []int64) error) { s.beforeCommit = fn }

// SetBatchSize changes how many users one bulk transaction handles.
func SetBatchSize(s *Service, n int) { s.batch = n }
