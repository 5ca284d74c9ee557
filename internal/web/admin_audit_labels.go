package web

import (
	"strings"

	"lvzhi/internal/i18n"
)

// auditActionLabel names an audit action in lang: its own label
// (audit.action.<action>) if it has one; a proposal action by the workflow's
// name for it (pw.act.<verb>); otherwise the verb (audit.verb.<verb>). Only an
// action nobody named is shown as recorded.
func auditActionLabel(lang, action string) string {
	if k := "audit.action." + action; i18n.Has(lang, k) {
		return i18n.T(lang, k)
	}
	area, verb, ok := strings.Cut(action, ".")
	if !ok {
		area, verb = "", action
	}
	if area == "proposal" && i18n.Has(lang, "pw.act."+verb) {
		return i18n.T(lang, "audit.area.proposal") + i18n.T(lang, "audit.sep") + i18n.T(lang, "pw.act."+verb)
	}
	if k := "audit.verb." + verb; i18n.Has(lang, k) {
		if area != "" && i18n.Has(lang, "audit.area."+area) {
			return i18n.T(lang, "audit.area."+area) + i18n.T(lang, "audit.sep") + i18n.T(lang, k)
		}
		return i18n.T(lang, k)
	}
	return action
}

// auditEntities are the kinds of record the audit log's filter offers, by name.
var auditEntities = []string{"membership", "person", "unit", "term", "session", "sector", "group", "committee", "user", "api_token",
	"liaison_link", "liaison_contact", "liaison_campaign", "liaison_target", "proposal", "proposal_assignment", "proposal_reply",
	"proposal_contact", "proposal_evaluation", "proposal_attachment", "proposal_settings", "decline_reason", "result_class",
	"calendar_day", "proposal_assessment", "members", "units"}

// auditEntityOpt is one choice of the filter.
type auditEntityOpt struct{ Value, Label string }

func auditEntityOpts(lang string) []auditEntityOpt {
	out := make([]auditEntityOpt, len(auditEntities))
	for i, e := range auditEntities {
		out[i] = auditEntityOpt{e, auditEntityLabel(lang, e)}
	}
	return out
}

// auditEntityLabel names the kind of record an audit entry is about.
func auditEntityLabel(lang, entity string) string {
	if k := "audit.entity." + entity; i18n.Has(lang, k) {
		return i18n.T(lang, k)
	}
	return entity
}
