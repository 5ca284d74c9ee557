package report

import (
	"maps"
	"slices"
	"strings"

	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
)

// SectionDef is one section of the annual report: its title (i18n
// report.section.<id>) and its generated sentences.
type SectionDef struct {
	ID        string
	Sentences []SentenceDef
}

// SentenceDef is one generated sentence: the i18n message report.s.<key>,
// rendered by figure.Sentence, and the figures it cites (TestCitesMatchMessages
// holds the list to the messages' own references, in both languages).
//
// A report never writes a figure that is zero ("开展视察0次"): a sentence
// without clauses is left out when every figure it cites is zero; a sentence
// of Clauses is its message with {{.List}} the clauses left, joined, and is
// left out when none is (TestNoZeroFigures renders every sentence with
// figures zero in turn and finds no zero written).
type SentenceDef struct {
	Key     string
	Cites   []string
	Clauses []ClauseDef
}

// ClauseDef is one clause of a sentence: the message report.c.<key> citing
// Cites, with {{.List}} its Items left, joined. It is left out when When is
// zero, or (When "") when every figure of Cites is zero and no item is left;
// Keep clauses say something of a zero themselves ("没有超期未办复的提案").
type ClauseDef struct {
	Key   string
	Cites []string
	When  string
	Sep   string // i18n key of the separator before it; "" for report.join.clause
	Keep  bool
	Items []ClauseDef
}

// sentence is a sentence of clauses; its Cites are theirs.
func sentence(key string, cs ...ClauseDef) SentenceDef {
	st := SentenceDef{Key: key, Clauses: cs}
	var walk func([]ClauseDef)
	walk = func(cs []ClauseDef) {
		for _, c := range cs {
			for _, id := range c.Cites {
				if !slices.Contains(st.Cites, id) {
					st.Cites = append(st.Cites, id)
				}
			}
			walk(c.Items)
		}
	}
	walk(cs)
	return st
}

// clause is a clause citing ids.
func clause(key string, ids ...string) ClauseDef { return ClauseDef{Key: key, Cites: ids} }

// list is a clause made of a list of items.
func list(key string, items ...ClauseDef) ClauseDef { return ClauseDef{Key: key, Items: items} }

// when leaves the clause out when figure id is zero.
func (c ClauseDef) when(id string) ClauseDef { c.When = id; return c }

// after puts the separator sep (an i18n key) before the clause.
func (c ClauseDef) after(sep string) ClauseDef { c.Sep = sep; return c }

// Sections is the annual report's structure, in order, after the Fuyuan
// County committee's report: 履职基础 and 提质增效, 协商监督, 提案工作,
// 三送三帮, 学习宣传, 委员履职.
var Sections = []SectionDef{
	{ID: "foundation", Sentences: []SentenceDef{
		sentence("foundation.work",
			list("foundation.held", clause("foundation.research", "activities.research"),
				clause("foundation.inspection", "activities.inspection"), clause("foundation.consultation", "activities.consultation")),
			clause("foundation.followup", "activities.followup"), clause("foundation.appraisal", "activities.appraisal"),
			clause("foundation.assessed", "units.assessed"), clause("foundation.to_party", "outputs.to_party")),
	}},
	{ID: "consult", Sentences: []SentenceDef{
		sentence("consult.meetings", clause("consult.bimonthly", "activities.bimonthly"),
			clause("consult.consultations", "activities.consultation"),
			clause("consult.outputs", "outputs.all", "outputs.instructed").when("outputs.all")),
		sentence("consult.followups", clause("consult.followups_all", "followups.all"), clause("consult.followups_closed", "followups.closed")),
		sentence("consult.sqmy", clause("consult.sqmy_submitted", "sqmy.submitted"), clause("consult.sqmy_adopted", "sqmy.adopted")),
		sentence("consult.attendance", clause("consult.invited", "attendance.invited"), clause("consult.attended", "attendance.attended")),
	}},
	{ID: "proposal", Sentences: []SentenceDef{
		sentence("proposal.intake", clause("proposal.received", "proposals.received"),
			ClauseDef{Key: "proposal.registered", Cites: []string{"proposals.registered"},
				Items: []ClauseDef{clause("proposal.collective", "proposals.collective"), clause("proposal.by_members", "proposals.by_members")},
				When:  "proposals.registered"},
			clause("proposal.members", "members.proposed").after("report.join.semicolon"),
			clause("proposal.participation", "members.proposed")),
		sentence("proposal.handling", clause("proposal.replied", "proposals.replied"), clause("proposal.replied_rate", "proposals.replied"),
			clause("proposal.on_time", "proposals.on_time"), clause("proposal.key", "proposals.key").after("report.join.semicolon")),
		sentence("proposal.results", clause("proposal.solved", "proposals.solved"),
			clause("proposal.rates", "proposals.face_to_face", "proposals.satisfied")),
		{Key: "proposal.published", Cites: []string{"proposals.published"}},
	}},
	{ID: "assist", Sentences: []SentenceDef{
		sentence("assist.pledges", clause("assist.pledged", "pledges.members", "pledges.amount", "pledges.households").when("pledges.members"),
			clause("assist.pledge_jobs", "pledges.jobs"), clause("assist.pledge_industry", "pledges.industry_households")),
		sentence("assist.sites", clause("assist.site", "sites.count", "sites.donors", "sites.amount").when("sites.count")),
		sentence("assist.totals", clause("assist.cash", "assist.cash"),
			clause("assist.goods", "assist.goods", "assist.goods_value").when("assist.goods"),
			clause("assist.industry", "assist.industry_households"), clause("assist.students", "assist.students"),
			clause("assist.jobs", "assist.jobs"), clause("assist.info", "assist.info"), clause("assist.readings", "assist.readings"),
			clause("assist.participation", "assist.members_participating")),
	}},
	{ID: "study", Sentences: []SentenceDef{
		sentence("study.articles", clause("study.collected", "study.articles_collected"), clause("study.published", "study.articles_published"),
			clause("study.sessions", "activities.study")),
		sentence("study.publicity", clause("study.tv", "publicity.tv"), clause("study.press", "publicity.articles").after("report.join.semicolon")),
		{Key: "study.culture", Cites: []string{"culture.volumes"}},
	}},
	{ID: "duty", Sentences: []SentenceDef{
		sentence("duty.grades", clause("duty.scored", "duty.members"),
			list("duty.graded", clause("duty.excellent", "duty.grade.excellent"), clause("duty.good", "duty.grade.good"),
				clause("duty.competent", "duty.grade.competent"), clause("duty.incompetent", "duty.grade.incompetent"))),
		sentence("duty.parts", clause("duty.proposal", "duty.part.proposal"), clause("duty.activity", "duty.part.activity"),
			clause("duty.sqmy", "duty.part.sqmy"), clause("duty.assist", "duty.part.assist")),
	}},
}

// SectionByID returns a section's definition.
func SectionByID(id string) (SectionDef, bool) {
	for _, s := range Sections {
		if s.ID == id {
			return s, true
		}
	}
	return SectionDef{}, false
}

// Cites lists the figures a section cites, each once, in order.
func (s SectionDef) Cites() []string {
	var out []string
	seen := map[string]bool{}
	for _, st := range s.Sentences {
		for _, id := range st.Cites {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// Unregistered lists the figures a section cites that reg does not hold
// (their area is not built): such a section is left out.
func (s SectionDef) Unregistered(reg *figure.Registry) []string {
	var out []string
	for _, id := range s.Cites() {
		if _, _, ok := reg.Lookup(id); !ok {
			out = append(out, id)
		}
	}
	return out
}

// Title is the section's title in lang.
func (s SectionDef) Title(lang string) string { return i18n.T(lang, "report.section."+s.ID) }

// render renders a sentence with the values, leaving out what is zero (ok
// false: the whole sentence), then puts the committee's Party committee's
// name where the message says {party} (县委, 市委 …, by the committee's
// level). stated are the figures the text states.
func (st SentenceDef) render(lang, level string, vs []figure.Value) (text string, stated []string, ok bool) {
	zero := map[string]bool{}
	for _, v := range vs {
		zero[v.ID] = v.Value == 0
	}
	data := figure.SentenceData(vs)
	if len(st.Clauses) == 0 {
		if !slices.ContainsFunc(st.Cites, func(id string) bool { return !zero[id] }) {
			return "", nil, false
		}
		text, stated = i18n.T(lang, "report.s."+st.Key, data), st.Cites
	} else {
		joined, ids := joinClauses(lang, st.Clauses, "report.join.clause", zero, data)
		if joined == "" {
			return "", nil, false
		}
		data["List"] = joined
		text, stated = i18n.T(lang, "report.s."+st.Key, data), ids
	}
	return strings.ReplaceAll(text, "{party}", i18n.T(lang, "report.party."+level)), stated, true
}

// joinClauses renders the clauses not left out, joined with sep (and the
// language's last separator before the last), and the figures they state.
func joinClauses(lang string, cs []ClauseDef, sep string, zero map[string]bool, data map[string]any) (string, []string) {
	var parts, seps, ids []string
	for _, c := range cs {
		text, stated, ok := c.render(lang, zero, data)
		if !ok {
			continue
		}
		key := sep
		if c.Sep != "" {
			key = c.Sep
		}
		parts, seps, ids = append(parts, text), append(seps, key), append(ids, stated...)
	}
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i == 0:
		case i == len(parts)-1 && seps[i] == sep:
			b.WriteString(i18n.T(lang, sep+"_last"))
		default:
			b.WriteString(i18n.T(lang, seps[i]))
		}
		b.WriteString(p)
	}
	return b.String(), ids
}

// render renders a clause, or ok false when it is left out.
func (c ClauseDef) render(lang string, zero map[string]bool, data map[string]any) (string, []string, bool) {
	items, stated := joinClauses(lang, c.Items, "report.join.item", zero, data)
	own := slices.ContainsFunc(c.Cites, func(id string) bool { return !zero[id] })
	switch {
	case c.Keep:
	case c.When != "" && zero[c.When]:
		return "", nil, false
	case c.When == "" && !own && items == "":
		return "", nil, false
	}
	for _, id := range c.Cites {
		if !zero[id] || c.Keep {
			stated = append(stated, id)
		}
	}
	d := make(map[string]any, len(data)+1)
	maps.Copy(d, data)
	d["List"] = items
	return i18n.T(lang, "report.c."+c.Key, d), stated, true
}

// numeral is the section's number as the report writes it: 一、二、… in
// Chinese, 1. 2. … in English.
func numeral(lang string, n int) string {
	if i18n.Norm(lang) == "zh" {
		digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
		switch {
		case n <= 10:
			return digits[n] + "、"
		case n < 20:
			return "十" + digits[n-10] + "、"
		}
	}
	return i18n.Number(lang, n) + ". "
}
