package api

import (
	"lvzhi/internal/apperr"
	"lvzhi/internal/proposal"
)

// A proposal's attachments: the same use cases the web's attachment forms
// call (proposal.Service decides who may attach, remove and read: the first
// proposer while the proposal is a draft or returned; every reader of the
// proposal downloads).

// AttachmentList lists a proposal's attachments (without their content).
type AttachmentList struct {
	Items []proposal.Attachment `json:"items"`
}

var proposalVersionParam = Param{Name: "version", Type: "integer", Description: "the proposal's version read (0 or absent skips the check)"}

func (a *API) proposalAttachmentRoutes() []Route {
	s := a.deps.Proposals
	ids := func(r *Request) (id, aid int64, err error) {
		if id, err = r.PathID("id"); err != nil {
			return 0, 0, err
		}
		aid, err = r.PathID("aid")
		return id, aid, err
	}
	return []Route{
		{Method: "GET", Path: "/proposals/{id}/attachments", Tag: "proposals", Summary: "A proposal's attachments (readers of the proposal)",
			Result: AttachmentList{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				d, err := s.Get(r.Context(), r.Actor, id)
				if err != nil {
					return nil, err
				}
				return AttachmentList{orEmpty(d.Attachments)}, nil
			}},
		{Method: "POST", Path: "/proposals/{id}/attachments", Tag: "proposals",
			Summary: "Attach a file to a draft or returned proposal (the first proposer; at most 10 files of 10 MB)",
			Form: []FormPart{{Name: "file", Type: "file", Required: true, Description: "the file; its name is kept"},
				{Name: "version", Type: "integer", Description: "the proposal's version read (0 or absent skips the check)"}},
			Result: proposal.Attachment{}, Status: 201, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				data, name, ctype, err := r.Upload("file", proposal.MaxAttachment)
				if err != nil {
					return nil, err
				}
				version, err := r.FormInt("version")
				if err != nil {
					return nil, err
				}
				if data == nil {
					return nil, apperr.Fields(apperr.Field("file", "err.api.file_required"))
				}
				return s.AddAttachment(r.Context(), r.Actor, proposal.Ref{ID: id, Version: int(version)}, name, ctype, data)
			}},
		{Method: "GET", Path: "/proposals/{id}/attachments/{aid}", Tag: "proposals", Summary: "Download an attachment (readers of the proposal; a reply letter only to the office and the handling units until the reply is delivered)",
			Result: Download{}, Handle: func(r *Request) (any, error) {
				id, aid, err := ids(r)
				if err != nil {
					return nil, err
				}
				att, data, err := s.AttachmentContent(r.Context(), r.Actor, id, aid)
				if err != nil {
					return nil, err
				}
				return &Download{Name: att.Name, Data: data}, nil
			}},
		{Method: "DELETE", Path: "/proposals/{id}/attachments/{aid}", Tag: "proposals", Summary: "Remove an attachment of a draft or returned proposal (the first proposer)",
			Query: []Param{proposalVersionParam}, Handle: func(r *Request) (any, error) {
				id, aid, err := ids(r)
				if err != nil {
					return nil, err
				}
				version, err := r.QueryInt("version")
				if err != nil {
					return nil, err
				}
				return nil, s.RemoveAttachment(r.Context(), r.Actor, proposal.Ref{ID: id, Version: int(version)}, aid)
			}},
	}
}
