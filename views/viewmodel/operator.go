package viewmodel

// OperatorAccounts is the operator console's list of customer accounts.
type OperatorAccounts struct {
	Rows []OperatorAccountRow
}

// OperatorAccountRow is one customer account in the list.
type OperatorAccountRow struct {
	Number string
	Name   string
	Status string
}
