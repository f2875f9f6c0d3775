package viewmodel

// OperatorStatusPage confirms an operator's change of a customer account's
// status: suspend, reactivate or close.
type OperatorStatusPage struct {
	AccountID string
	Number    string
	Name      string
	// Status is the account's status now.
	Status string
	// Verb is the change ("suspend"), Heading its question and Button the
	// button's words.
	Verb    string
	Heading string
	Button  string
	// Consequences say what the change does, one sentence each.
	Consequences []string
	// Allowed is false when the account's status does not allow the
	// change; NotAllowed then says why.
	Allowed    bool
	NotAllowed string
	Danger     bool
	Reason     string
	Errors     Errors
}

// OperatorRescuePage offers an operator the ways to help a locked-out
// Primary Admin back in, once the support desk verified them.
type OperatorRescuePage struct {
	AccountID   string
	AccountName string
	Number      string
	PrimaryName string
	// Verified says the desk verified the Primary Admin within the
	// window; VerifiedAt says when it last did ("" when never).
	Verified   bool
	VerifiedAt string
	// Unusable says why nothing can be done ("" when something can);
	// NoSecondFactor says why the second factor cannot be reset.
	Unusable       string
	NoSecondFactor string
	Refusal        string
	Reason         string
	Errors         Errors
}
