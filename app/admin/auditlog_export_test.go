package admin

// CSVSafe exposes the CSV cell escaping for table tests.
func CSVSafe(cell string) string { return csvSafe(cell) }
