package duty

// Item codes (i18n duty.item.<code>) and variants (duty.variant.<code>). The
// sources (sources.go) yield events with these codes; rules give them points.
const (
	ItemPlenary        = "attend.plenary"   // 全体会议 (plenary session) attendance
	ItemMandatory      = "attend.mandatory" // activities the member was required to attend
	ItemSignup         = "attend.signup"    // activities the member signed up for
	ItemSubmitted      = "proposal.submitted"
	ItemRegistered     = "proposal.registered"
	ItemKey            = "proposal.key"
	ItemExcellent      = "proposal.excellent"
	ItemSqmySubmitted  = "sqmy.submitted"
	ItemSqmyAdopted    = "sqmy.adopted"
	ItemSqmyInstructed = "sqmy.instructed"
	ItemSpeech         = "speech"
	ItemReport         = "research.report"
	ItemAssist         = "assist.record"
	ItemPairing        = "assist.pairing"
	ItemAdjustment     = "adjustment"
)

// Variants.
const (
	VarIndividual = "individual" // sole proposer
	VarFirst      = "first"      // first proposer of a joint proposal (领衔)
	VarCo         = "co"         // co-signer (联名)
	VarAttended   = "attended"
	VarLeave      = "leave"  // approved leave (请假)
	VarAbsent     = "absent" // absent without leave (缺席)
	VarLead       = "lead"   // lead drafter (执笔)
	VarOther      = "other"  // other participant
	VarNone       = ""
)

// Categories (i18n duty.category.<code>).
const (
	CatPlenary    = "plenary"
	CatProposal   = "proposal"
	CatActivity   = "activity"
	CatSqmy       = "sqmy"
	CatSpeech     = "speech"
	CatResearch   = "research"
	CatAssist     = "assist"
	CatDiscipline = "discipline"
	CatAdjustment = "adjustment"
)

// ItemDef is an item code and the category presets file it under.
type ItemDef struct{ Code, Category string }

// Items lists every item code with its default category, for the rules editor.
var Items = []ItemDef{
	{ItemPlenary, CatPlenary}, {ItemMandatory, CatActivity}, {ItemSignup, CatActivity},
	{ItemSubmitted, CatProposal}, {ItemRegistered, CatProposal}, {ItemKey, CatProposal}, {ItemExcellent, CatProposal},
	{ItemSqmySubmitted, CatSqmy}, {ItemSqmyAdopted, CatSqmy}, {ItemSqmyInstructed, CatSqmy},
	{ItemSpeech, CatSpeech}, {ItemReport, CatResearch}, {ItemAssist, CatAssist}, {ItemPairing, CatAssist},
}

// Categories lists every category code.
var Categories = []string{CatPlenary, CatProposal, CatActivity, CatSqmy, CatSpeech, CatResearch, CatAssist, CatDiscipline, CatAdjustment}

// Variants lists every variant code.
var Variants = []string{VarNone, VarIndividual, VarFirst, VarCo, VarAttended, VarLeave, VarAbsent, VarLead, VarOther}

// Preset names (i18n duty.preset.<name>).
const (
	PresetTongcheng = "tongcheng"
	PresetMinhang   = "minhang"
	PresetGuangshui = "guangshui"
)

// PresetNames lists the presets in display order.
var PresetNames = []string{PresetTongcheng, PresetMinhang, PresetGuangshui}

// pts converts whole points to hundredths.
func pts(n int64) int64 { return n * 100 }

// defaults are the grade bands (Anqing: ≥90 优秀, 80-89 良好, 60-79 称职,
// <60 不称职) and exit rules (three plenary absences, or 不称职 twice, in a
// term) every preset starts from.
func defaults(name string) RuleSet {
	return RuleSet{Preset: name, BandExcellent: pts(90), BandGood: pts(80), BandCompetent: pts(60),
		ExitAbsences: 3, ExitIncompetent: 2}
}

// Preset returns a copy of a published scoring table (DOMAIN.md §5), which a
// committee copies into a year and edits. false for an unknown name.
func Preset(name string) (RuleSet, bool) {
	switch name {
	case PresetTongcheng:
		return tongcheng(), true
	case PresetMinhang:
		return minhang(), true
	case PresetGuangshui:
		return guangshui(), true
	}
	return RuleSet{}, false
}

// tongcheng is 桐城 (2019): out of 100, pass 60. Plenary attended 50 (approved
// leave 30, unexcused 0); a proposal submitted 10, +15 if registered, the
// category capped at 25 (a joint proposal: the first proposer half, the
// co-signers share the other half); other activities 2 each, capped at 10;
// 社情民意 10 each, +5 if adopted, capped at 15.
func tongcheng() RuleSet {
	rs := defaults(PresetTongcheng)
	rs.MaxScore = pts(100)
	rs.Categories = []Category{{CatPlenary, 0}, {CatProposal, pts(25)}, {CatActivity, pts(10)}, {CatSqmy, pts(15)}, {CatAdjustment, 0}}
	rs.Rules = []Rule{
		{CatPlenary, ItemPlenary, VarAttended, pts(50), UnitTime, false},
		{CatPlenary, ItemPlenary, VarLeave, pts(30), UnitTime, false},
		{CatPlenary, ItemPlenary, VarAbsent, 0, UnitTime, false},
		{CatProposal, ItemSubmitted, VarIndividual, pts(10), UnitItem, false},
		{CatProposal, ItemSubmitted, VarFirst, pts(5), UnitItem, false},
		{CatProposal, ItemSubmitted, VarCo, pts(5), UnitItem, true},
		{CatProposal, ItemRegistered, VarIndividual, pts(15), UnitItem, false},
		{CatProposal, ItemRegistered, VarFirst, 750, UnitItem, false},
		{CatProposal, ItemRegistered, VarCo, 750, UnitItem, true},
		{CatActivity, ItemMandatory, VarAttended, pts(2), UnitTime, false},
		{CatActivity, ItemSignup, VarAttended, pts(2), UnitTime, false},
		{CatSqmy, ItemSqmySubmitted, VarNone, pts(10), UnitArticle, false},
		{CatSqmy, ItemSqmyAdopted, VarNone, pts(5), UnitArticle, false},
	}
	return rs
}

// minhang is 闵行: plenary 5 per half day; each other activity 5; a proposal
// as individual or lead drafter 15, other participant 3; a key proposal
// +15/+3; an excellent proposal +10/+2. No caps.
func minhang() RuleSet {
	rs := defaults(PresetMinhang)
	rs.Categories = []Category{{CatPlenary, 0}, {CatActivity, 0}, {CatProposal, 0}, {CatAdjustment, 0}}
	rs.Rules = []Rule{
		{CatPlenary, ItemPlenary, VarAttended, pts(5), UnitHalfDay, false},
		{CatPlenary, ItemPlenary, VarLeave, 0, UnitHalfDay, false},
		{CatPlenary, ItemPlenary, VarAbsent, 0, UnitHalfDay, false},
		{CatActivity, ItemMandatory, VarAttended, pts(5), UnitTime, false},
		{CatActivity, ItemSignup, VarAttended, pts(5), UnitTime, false},
		{CatProposal, ItemRegistered, VarIndividual, pts(15), UnitItem, false},
		{CatProposal, ItemRegistered, VarFirst, pts(15), UnitItem, false},
		{CatProposal, ItemRegistered, VarCo, pts(3), UnitItem, false},
		{CatProposal, ItemKey, VarIndividual, pts(15), UnitItem, false},
		{CatProposal, ItemKey, VarFirst, pts(15), UnitItem, false},
		{CatProposal, ItemKey, VarCo, pts(3), UnitItem, false},
		{CatProposal, ItemExcellent, VarIndividual, pts(10), UnitItem, false},
		{CatProposal, ItemExcellent, VarFirst, pts(10), UnitItem, false},
		{CatProposal, ItemExcellent, VarCo, pts(2), UnitItem, false},
	}
	return rs
}

// guangshui is 广水 (2017): a registered proposal 20 (first proposer) / 15
// (co-signer); one 社情民意 or 文史 article 20 (counted when adopted: DOMAIN
// §5 warns that counting submissions invites padding); pairing with a
// household in difficulty 20; absences −1 (a sign-up activity), −2 (a
// required activity), −3 (a plenary session).
func guangshui() RuleSet {
	rs := defaults(PresetGuangshui)
	rs.Categories = []Category{{CatProposal, 0}, {CatSqmy, 0}, {CatAssist, 0}, {CatDiscipline, 0}, {CatAdjustment, 0}}
	rs.Rules = []Rule{
		{CatProposal, ItemRegistered, VarIndividual, pts(20), UnitItem, false},
		{CatProposal, ItemRegistered, VarFirst, pts(20), UnitItem, false},
		{CatProposal, ItemRegistered, VarCo, pts(15), UnitItem, false},
		{CatSqmy, ItemSqmyAdopted, VarNone, pts(20), UnitArticle, false},
		{CatAssist, ItemPairing, VarNone, pts(20), UnitTime, false},
		{CatDiscipline, ItemPlenary, VarAbsent, pts(-3), UnitTime, false},
		{CatDiscipline, ItemMandatory, VarAbsent, pts(-2), UnitTime, false},
		{CatDiscipline, ItemSignup, VarAbsent, pts(-1), UnitTime, false},
	}
	return rs
}
