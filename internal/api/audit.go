package api

import (
	"encoding/json"
	"regexp"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
)

// The committee's audit log (the web's /admin/audit): read by its
// administrators, newest first, with the same withholding as the web page: an
// entry about a proposal the reader may not read now shows no values
// (proposal.Service.AuditVisible decides, for both).

// AuditEntry is one entry of the log. before and after are the record's values
// as JSON (null for a creation or deletion, and when withheld).
type AuditEntry struct {
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_user_id"` // 0 for the system
	ActorName string    `json:"actor_name"`
	Action    string    `json:"action"`
	Entity    string    `json:"entity"`
	EntityID  int64     `json:"entity_id"`
	Before    any       `json:"before"`
	After     any       `json:"after"`
	Withheld  bool      `json:"withheld"` // the reader may not read the record: its values are not shown
	Hash      string    `json:"hash"`
}

// AuditList is one page of the log; older entries follow with before=next_before.
type AuditList struct {
	Items      []AuditEntry `json:"items"`
	NextBefore int64        `json:"next_before"` // 0 when this is the oldest page
}

// AuditCheck is the result of checking the hash chains: this committee's problems.
type AuditCheck struct {
	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
}

var auditEntityRE = regexp.MustCompile(`^[a-z0-9_.]{0,60}$`)

// values decodes an entry's stored JSON (nil for none).
func values(s string) any {
	var v any
	if s == "" || json.Unmarshal([]byte(s), &v) != nil {
		return nil
	}
	return v
}

func (a *API) auditRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/audit", Tag: "audit", Summary: "The committee's audit log, newest first (admins)",
			Query: []Param{{Name: "entity", Type: "string", Description: "e.g. proposal, membership"}, {Name: "entity_id", Type: "integer", Description: ""},
				{Name: "before", Type: "integer", Description: "entries older than this seq (the previous page's next_before)"},
				{Name: "limit", Type: "integer", Description: "default 50; above 500 is capped to 500", Max: 500}},
			Result: AuditList{}, Handle: a.auditList},
		{Method: "POST", Path: "/audit/verify", Tag: "audit", Summary: "Check the audit log's hash chains; answers this committee's problems (admins)",
			Result: AuditCheck{}, Handle: func(r *Request) (any, error) {
				if !auth.Can(r.Actor, auth.ViewAudit) {
					return nil, apperr.New(apperr.Forbidden, "err.forbidden")
				}
				_, problems, err := audit.Verify(r.Context(), a.deps.DB)
				out := AuditCheck{Problems: []string{}}
				for _, p := range problems {
					if p.CommitteeID == r.Actor.CommitteeID {
						out.Problems = append(out.Problems, p.String())
					}
				}
				out.OK = len(out.Problems) == 0
				return out, err
			}},
	}
}

func (a *API) auditList(r *Request) (any, error) {
	if !auth.Can(r.Actor, auth.ViewAudit) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	f := audit.Filter{Entity: r.Query("entity")}
	if !auditEntityRE.MatchString(f.Entity) {
		return nil, apperr.Fields(apperr.Field("entity", "err.invalid"))
	}
	var err error
	if f.EntityID, err = r.QueryInt("entity_id"); err != nil {
		return nil, err
	}
	if f.BeforeSeq, err = r.QueryInt("before"); err != nil {
		return nil, err
	}
	limit, err := r.QueryInt("limit")
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	f.Limit = int(limit)
	entries, err := audit.List(r.Context(), a.deps.DB, r.Actor.CommitteeID, f)
	if err != nil {
		return nil, err
	}
	out := AuditList{Items: []AuditEntry{}}
	seen := map[string]bool{}
	for _, e := range entries {
		key := e.Entity + "#" + itoa(int(e.EntityID))
		ok, cached := seen[key]
		if !cached {
			if ok, err = a.deps.Proposals.AuditVisible(r.Context(), r.Actor, e.Entity, e.EntityID); err != nil {
				return nil, err
			}
			seen[key] = ok
		}
		x := AuditEntry{Seq: e.Seq, At: e.At, ActorID: e.ActorUserID, ActorName: e.ActorName, Action: e.Action, Entity: e.Entity,
			EntityID: e.EntityID, Before: values(e.Before), After: values(e.After), Hash: e.Hash}
		if !ok {
			x.Before, x.After, x.Withheld = nil, nil, true
		}
		out.Items = append(out.Items, x)
	}
	if len(entries) == f.Limit {
		out.NextBefore = entries[len(entries)-1].Seq
	}
	return out, nil
}
