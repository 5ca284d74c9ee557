package web

import (
	"strconv"

	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// assistRoutes registers the 三送三帮 pages under /assist.
func (s *Server) assistRoutes() {
	if s.Assist == nil {
		s.Assist = assist.NewService(s.DB)
	}
	s.handle("GET /assist", s.assistDashboard)
	s.handle("POST /assist/offer", s.assistSaveOffer)
	s.handle("POST /assist/pairings/{id}/step", s.assistPairingStep)
	s.handle("GET /assist/households", s.assistHouseholds)
	s.handle("GET /assist/households.xlsx", s.assistHouseholdsExport)
	s.handle("GET /assist/households/new", s.assistNewHousehold)
	s.handle("POST /assist/households", s.assistCreateHousehold)
	s.handle("GET /assist/households/{id}", s.assistHousehold)
	s.handle("GET /assist/households/{id}/edit", s.assistEditHousehold)
	s.handle("POST /assist/households/{id}/edit", s.assistUpdateHousehold)
	s.handle("POST /assist/household-members/{id}/reveal", s.assistReveal)
	s.handle("POST /assist/households/{id}/needs", s.assistCreateNeed)
	s.handle("POST /assist/households/{id}/records", s.assistCreateRecord)
	s.handle("GET /assist/needs", s.assistNeeds)
	s.handle("GET /assist/needs.xlsx", s.assistNeedsExport)
	s.handle("GET /assist/needs/{id}", s.assistNeed)
	s.handle("POST /assist/needs/{id}/confirm", s.assistConfirm)
	s.handle("POST /assist/needs/{id}/reject", s.assistReject)
	s.handle("POST /assist/needs/{id}/step", s.assistNeedStep)
	s.handle("GET /assist/match", s.assistMatch)
	s.handle("GET /assist/records", s.assistRecords)
	s.handle("GET /assist/records.xlsx", s.assistRecordsExport)
	s.handle("GET /assist/records/{id}", s.assistRecord)
	s.handle("POST /assist/records/{id}/verify", s.assistVerify)
	s.handle("POST /assist/records/{id}/files", s.assistAttach)
	s.handle("GET /assist/records/{id}/files/{fid}", s.assistEvidenceFile)
	s.handle("POST /assist/records/{id}/files/{fid}/delete", s.assistDetach)
	s.handle("GET /assist/pledges", s.assistPledges)
	s.handle("GET /assist/bulletin", s.assistBulletin)
	s.handle("GET /assist/breakdown", s.assistBreakdown)
	s.handle("GET /assist/breakdown.xlsx", s.assistBreakdownExport)
	s.handle("GET /assist/campaigns", s.assistCampaigns)
	s.handle("GET /assist/bulletin.xlsx", s.assistBulletinExport)
	s.handle("POST /assist/pledges", s.assistCreatePledge)
	s.handle("GET /assist/import", s.assistImportPage)
	s.handle("POST /assist/import", s.assistImport)
	s.handle("POST /assist/villages", s.assistCreateVillage)
	s.handle("GET /assist/import/template.xlsx", s.assistTemplate)
	s.handle("POST /assist/import/ledger", s.assistImportLedger)
	s.handle("GET /assist/import/ledger-template.xlsx", s.assistLedgerTemplate)
}

// assistOpts are the choice lists the area's forms offer.
type assistOpts struct {
	NeedKinds   []string
	RecordKinds []string
	Statuses    []string
	NeedStates  []assist.NeedState
	// RecordFields are the record form's quantity fields.
	RecordFields []string
	Today        string
}

func newAssistOpts() assistOpts {
	return assistOpts{assist.NeedKinds, assist.RecordKinds, assist.Statuses,
		[]assist.NeedState{assist.NeedOpen, assist.NeedMatched, assist.NeedInProgress, assist.NeedMet, assist.NeedClosed},
		[]string{"amount", "goods_items", "goods_value", "info_count", "sessions", "readings", "students", "jobs"},
		civil.Today().String()}
}

// yuan formats fen as yuan with two decimals.
func yuan(fen int64) string {
	return strconv.FormatInt(fen/100, 10) + "." + strconv.FormatInt(100+fen%100, 10)[1:]
}

func idPath(prefix string, id int64) string { return prefix + strconv.FormatInt(id, 10) }

// canManage reports whether a is an assistance officer (or staff) of its committee.
func canManage(a *auth.Actor) bool { return auth.Can(a, assist.PermManage) }
