package operator

// The accounts list's query parameters: its filter form's field names and
// the pager's cursors.
const (
	FieldSearch = "q"
	FieldStatus = "status"
	FieldSort   = "sort"
	FieldOrder  = "order"
	// ParamAfter and ParamBefore carry a cursor; ParamLast asks for the
	// last page.
	ParamAfter  = "after"
	ParamBefore = "before"
	ParamLast   = "last"
)
