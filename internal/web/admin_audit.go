package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/proposal"
)

// auditPageSize is the number of audit entries per page.
const auditPageSize = 50

type auditRow struct {
	audit.Entry
	// The fields the page shows, copied to the top: a template reaching a
	// field promoted from an embedded struct pays a reflective search per access.
	Seq, EntityID             int64
	ActorName, Action, Entity string
	Before, After             string
	When                      string // local time in Asia/Shanghai
	// ActionLabel and EntityLabel name the action and the kind of record in the reader's language.
	ActionLabel, EntityLabel string
	Withheld                 bool // the values are not shown: the viewer may not read the record
}

type adminAuditData struct {
	Rows      []auditRow
	Entity    string
	EntityID  string
	Before    int64
	OlderHref template.URL
	// NewestHref is the first page of the same filter, once paged back.
	NewestHref template.URL
	Verified   bool
	Problems   []audit.Problem
	Error      string
	Fields     []apperr.FieldError
	Entities   []auditEntityOpt
}

var entityRE = regexp.MustCompile(`^[a-z0-9_.]{0,60}$`)

// auditFilter reads the filters; bad values are field errors naming entity or entity_id.
func auditFilter(q url.Values) (audit.Filter, []apperr.FieldError) {
	var fields []apperr.FieldError
	f := audit.Filter{Entity: strings.TrimSpace(q.Get("entity")), Limit: auditPageSize}
	if !entityRE.MatchString(f.Entity) {
		fields = append(fields, apperr.Field("entity", "err.invalid"))
		f.Entity = ""
	}
	f.EntityID = formRange(q, "entity_id", 1, math.MaxInt64, &fields) // typed by hand: a number, not a choice
	if v := q.Get("before"); v != "" {
		f.BeforeSeq, _ = strconv.ParseInt(v, 10, 64)
	}
	return f, fields
}

// adminAudit shows the committee's audit log, newest first, keyset-paged by seq.
func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ViewAudit)
	if err != nil {
		return err
	}
	return s.renderAudit(w, r, a, adminAuditData{})
}

func (s *Server) renderAudit(w http.ResponseWriter, r *http.Request, a *auth.Actor, d adminAuditData) error {
	q := r.URL.Query()
	f, fields := auditFilter(q)
	d.Entity, d.EntityID, d.Before = q.Get("entity"), q.Get("entity_id"), f.BeforeSeq
	d.Entities = auditEntityOpts(langOf(r))
	if len(fields) > 0 {
		d.Error, d.Fields = Message(langOf(r), apperr.Fields(fields...))
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, "admin/audit.html", d)
		return nil
	}
	entries, err := audit.List(r.Context(), s.DB, a.CommitteeID, f)
	if err != nil {
		return err
	}
	refs := make([]proposal.AuditRef, len(entries))
	for i, e := range entries {
		refs[i] = proposal.AuditRef{Entity: e.Entity, ID: e.EntityID}
	}
	visible, err := s.Proposals.AuditVisibleAll(r.Context(), a, refs)
	if err != nil {
		return err
	}
	for i, e := range entries {
		row := auditRow{Entry: e, Seq: e.Seq, EntityID: e.EntityID, ActorName: e.ActorName, Action: e.Action, Entity: e.Entity,
			Before: e.Before, After: e.After, When: e.At.In(civil.Shanghai).Format("2006-01-02 15:04:05"),
			ActionLabel: auditActionLabel(langOf(r), e.Action), EntityLabel: auditEntityLabel(langOf(r), e.Entity)}
		if !visible[refs[i]] {
			row.Before, row.After, row.Withheld = "", "", true
			row.Entry.Before, row.Entry.After = "", ""
		}
		d.Rows = append(d.Rows, row)
	}
	v := url.Values{}
	if f.Entity != "" {
		v.Set("entity", f.Entity)
	}
	if f.EntityID != 0 {
		v.Set("entity_id", strconv.FormatInt(f.EntityID, 10))
	}
	if f.BeforeSeq != 0 {
		d.NewestHref = link("/admin/audit", v)
	}
	if len(entries) == auditPageSize {
		d.OlderHref = link("/admin/audit", v, "before", strconv.FormatInt(entries[len(entries)-1].Seq, 10))
	}
	s.render(w, r, "admin/audit.html", d)
	return nil
}

// adminAuditVerify checks the hash chains and shows this committee's problems.
// audit.Verify walks every committee's chain; only this committee's results are shown.
func (s *Server) adminAuditVerify(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ViewAudit)
	if err != nil {
		return err
	}
	_, problems, err := audit.Verify(r.Context(), s.DB)
	if err != nil {
		return err
	}
	d := adminAuditData{Verified: true}
	for _, p := range problems {
		if p.CommitteeID == a.CommitteeID {
			d.Problems = append(d.Problems, p)
		}
	}
	return s.renderAudit(w, r, a, d)
}
