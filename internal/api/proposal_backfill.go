package api

import (
	"bytes"
	"encoding/base64"
	"fmt"

	"lvzhi/internal/apperr"
	"lvzhi/internal/proposal"
)

// BackfillBody is a proposal's whole past (补录), every step with its real
// date (YYYY-MM-DD); a step left empty and everything after it did not happen.
// It is proposal.History in the API's spelling.
type BackfillBody struct {
	SessionID       int64   `json:"session_id,omitempty"` // 0: the session of submitted_on
	Kind            string  `json:"kind"`                 // individual, joint
	Theme           string  `json:"theme"`
	Title           string  `json:"title"`
	Matter          string  `json:"matter,omitempty"`
	Analysis        string  `json:"analysis,omitempty"`
	Suggestions     string  `json:"suggestions,omitempty"`
	FirstProposerID int64   `json:"first_proposer_id"`    // membership
	CoSigners       []int64 `json:"co_signers,omitempty"` // memberships (joint)
	CoSignedOn      string  `json:"co_signed_on,omitempty"`
	SubmittedOn     string  `json:"submitted_on"`

	RegisteredOn  string `json:"registered_on,omitempty"`
	Seq           int    `json:"seq,omitempty"` // the original number in its session (15 for 九届二次-015); 0: the next
	DeclinedOn    string `json:"declined_on,omitempty"`
	DeclineReason string `json:"decline_reason,omitempty"`
	DeclineNote   string `json:"decline_note,omitempty"`
	WithdrawnOn   string `json:"withdrawn_on,omitempty"`

	AssignedOn string  `json:"assigned_on,omitempty"`
	Mode       string  `json:"mode,omitempty"`  // single, joint, separate
	Units      []int64 `json:"units,omitempty"` // joint: the lead unit first
	DueOn      string  `json:"due_on,omitempty"`
	AcceptedOn string  `json:"accepted_on,omitempty"`

	Contacts    []BackfillContact    `json:"contacts,omitempty"`
	Replies     []BackfillReply      `json:"replies,omitempty"`
	Evaluations []BackfillEvaluation `json:"evaluations,omitempty"`
	FollowUps   []BackfillFollowUp   `json:"follow_ups,omitempty"`
	ClosedOn    string               `json:"closed_on,omitempty"`
}

// BackfillContact is a unit's 办前面商.
type BackfillContact struct {
	UnitID int64  `json:"unit_id"`
	On     string `json:"on"`
	Method string `json:"method"` // face, meeting, phone, letter, other
	People string `json:"people"`
	Note   string `json:"note"`
}

// BackfillReply is a unit's reply: handed in on "on", approved on approved_on.
type BackfillReply struct {
	UnitID      int64  `json:"unit_id"`
	On          string `json:"on"`
	ResultClass string `json:"result_class"`
	Letter      string `json:"letter"`
	ApprovedOn  string `json:"approved_on"`
}

// BackfillEvaluation is a signer's evaluation.
type BackfillEvaluation struct {
	MembershipID int64  `json:"membership_id"`
	On           string `json:"on"`
	Overall      string `json:"overall"`
	Contact      string `json:"contact"`
	Attitude     string `json:"attitude"`
	Addressed    string `json:"addressed"`
	Comment      string `json:"comment"`
}

// BackfillFollowUp is a 回头看, in the year of "on".
type BackfillFollowUp struct {
	UnitID      int64  `json:"unit_id"`
	On          string `json:"on"`
	ResultClass string `json:"result_class"`
	Note        string `json:"note"`
}

// history converts the body, reporting every malformed date by its field.
func (b BackfillBody) history() (proposal.History, error) {
	var fe []apperr.FieldError
	h := proposal.History{
		Content: proposal.Content{SessionID: b.SessionID, Kind: proposal.Kind(b.Kind), Theme: proposal.Theme(b.Theme), Title: b.Title,
			Matter: b.Matter, Analysis: b.Analysis, Suggestions: b.Suggestions, CoSigners: b.CoSigners},
		FirstProposer: b.FirstProposerID, CoSignedOn: date("co_signed_on", b.CoSignedOn, &fe),
		SubmittedOn: date("submitted_on", b.SubmittedOn, &fe), Withdrawn: date("withdrawn_on", b.WithdrawnOn, &fe),
		ClosedOn: date("closed_on", b.ClosedOn, &fe),
	}
	if b.RegisteredOn != "" {
		h.Registered = &proposal.Registration{On: date("registered_on", b.RegisteredOn, &fe), Seq: b.Seq}
	}
	if b.DeclinedOn != "" {
		h.Declined = &proposal.Declination{On: date("declined_on", b.DeclinedOn, &fe), Reason: b.DeclineReason, Note: b.DeclineNote}
	}
	if b.AssignedOn != "" {
		h.Assigned = &proposal.HistoryAssignment{On: date("assigned_on", b.AssignedOn, &fe), Mode: proposal.Mode(b.Mode), Units: b.Units,
			DueOn: date("due_on", b.DueOn, &fe), AcceptedOn: date("accepted_on", b.AcceptedOn, &fe)}
	}
	for i, c := range b.Contacts {
		h.Contacts = append(h.Contacts, proposal.HistoryContact{Unit: c.UnitID, ContactInput: proposal.ContactInput{
			On: date(fmt.Sprintf("contacts[%d].on", i), c.On, &fe), Method: proposal.ContactMethod(c.Method), People: c.People, Note: c.Note}})
	}
	for i, r := range b.Replies {
		h.Replies = append(h.Replies, proposal.HistoryReply{Unit: r.UnitID, On: date(fmt.Sprintf("replies[%d].on", i), r.On, &fe),
			Class: r.ResultClass, Letter: r.Letter, ApprovedOn: date(fmt.Sprintf("replies[%d].approved_on", i), r.ApprovedOn, &fe)})
	}
	for i, e := range b.Evaluations {
		h.Evaluations = append(h.Evaluations, proposal.HistoryEvaluation{Signer: e.MembershipID,
			On: date(fmt.Sprintf("evaluations[%d].on", i), e.On, &fe), EvaluationInput: proposal.EvaluationInput{
				Overall: proposal.Rating(e.Overall), Contact: proposal.ContactMade(e.Contact), Attitude: proposal.Rating(e.Attitude),
				Addressed: proposal.Addressed(e.Addressed), Comment: e.Comment}})
	}
	for i, f := range b.FollowUps {
		h.FollowUps = append(h.FollowUps, proposal.HistoryFollowUp{Unit: f.UnitID, On: date(fmt.Sprintf("follow_ups[%d].on", i), f.On, &fe),
			ResultClass: f.ResultClass, Note: f.Note})
	}
	if len(fe) > 0 {
		return h, apperr.Fields(fe...)
	}
	return h, nil
}

// ProposalLedgerBody is a proposal ledger workbook (.xlsx, the layout of the ledger template), base64-encoded.
type ProposalLedgerBody struct {
	File string `json:"file"`
}

func (a *API) proposalBackfillRoutes() []Route {
	s := a.deps.Proposals
	return []Route{
		{Method: "POST", Path: "/proposals/backfill", Tag: "proposals",
			Summary: "Enter a proposal's past with its real dates (补录; proposal office): every step checked as live, marked as entered later; errors name the step's field",
			Body:    BackfillBody{}, Result: proposal.Proposal{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b BackfillBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				h, err := b.history()
				if err != nil {
					return nil, err
				}
				return s.Backfill(r.Context(), r.Actor, h)
			}},
		{Method: "POST", Path: "/proposals/ledger", Tag: "proposals",
			Summary: "Import a proposal ledger (提案办理台账, .xlsx as base64; proposal office): every row or nothing, errors by row and column; rows whose number exists are left alone",
			Body:    ProposalLedgerBody{}, Result: proposal.LedgerResult{}, Handle: func(r *Request) (any, error) {
				var b ProposalLedgerBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				raw, err := base64.StdEncoding.DecodeString(b.File)
				if err != nil || len(raw) == 0 {
					return nil, apperr.Fields(apperr.Field("file", "err.proposal.ledger.not_excel"))
				}
				return s.ImportLedger(r.Context(), r.Actor, bytes.NewReader(raw))
			}},
	}
}
