package report

import (
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
// holds the list to the message's own references, in both languages).
type SentenceDef struct {
	Key   string
	Cites []string
}

// Sections is the annual report's structure, in order, after the Fuyuan
// County committee's report: 履职基础 and 提质增效, 协商监督, 提案工作,
// 三送三帮, 学习宣传, 委员履职.
var Sections = []SectionDef{
	{ID: "foundation", Sentences: []SentenceDef{
		{Key: "foundation.work", Cites: []string{"activities.research", "activities.inspection", "activities.consultation",
			"activities.followup", "activities.appraisal", "units.assessed", "outputs.to_party"}},
	}},
	{ID: "consult", Sentences: []SentenceDef{
		{Key: "consult.meetings", Cites: []string{"activities.bimonthly", "activities.consultation", "outputs.all", "outputs.instructed"}},
		{Key: "consult.followups", Cites: []string{"followups.all", "followups.closed"}},
		{Key: "consult.sqmy", Cites: []string{"sqmy.submitted", "sqmy.adopted"}},
		{Key: "consult.attendance", Cites: []string{"attendance.invited", "attendance.attended"}},
	}},
	{ID: "proposal", Sentences: []SentenceDef{
		{Key: "proposal.intake", Cites: []string{"proposals.received", "proposals.registered", "proposals.collective",
			"proposals.by_members", "members.proposed"}},
		{Key: "proposal.handling", Cites: []string{"proposals.replied", "proposals.on_time", "proposals.key"}},
		{Key: "proposal.results", Cites: []string{"proposals.solved", "proposals.face_to_face", "proposals.satisfied"}},
		{Key: "proposal.published", Cites: []string{"proposals.published"}},
	}},
	{ID: "assist", Sentences: []SentenceDef{
		{Key: "assist.pledges", Cites: []string{"pledges.members", "pledges.amount", "pledges.households", "pledges.jobs",
			"pledges.industry_households"}},
		{Key: "assist.sites", Cites: []string{"sites.count", "sites.donors", "sites.amount"}},
		{Key: "assist.totals", Cites: []string{"assist.cash", "assist.goods", "assist.goods_value", "assist.industry_households",
			"assist.students", "assist.jobs", "assist.info", "assist.readings", "assist.members_participating"}},
	}},
	{ID: "study", Sentences: []SentenceDef{
		{Key: "study.articles", Cites: []string{"study.articles_collected", "study.articles_published", "activities.study"}},
		{Key: "study.publicity", Cites: []string{"publicity.tv", "publicity.articles"}},
		{Key: "study.culture", Cites: []string{"culture.volumes"}},
	}},
	{ID: "duty", Sentences: []SentenceDef{
		{Key: "duty.grades", Cites: []string{"duty.members", "duty.grade.excellent", "duty.grade.good", "duty.grade.competent",
			"duty.grade.incompetent"}},
		{Key: "duty.parts", Cites: []string{"duty.part.proposal", "duty.part.activity", "duty.part.sqmy", "duty.part.assist"}},
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

// render renders a sentence with the values: figure.Sentence, then the
// committee's Party committee's name where the message says {party}
// (县委, 市委 …, by the committee's level).
func (st SentenceDef) render(lang, level string, vs []figure.Value) string {
	text := figure.Sentence(lang, "report.s."+st.Key, vs)
	return strings.ReplaceAll(text, "{party}", i18n.T(lang, "report.party."+level))
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
