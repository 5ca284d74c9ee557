package web

import (
	"net/http"

	"lvzhi/internal/assist"
)

// assistCampaignsPage lists campaigns with their targets' progress, and the demonstration sites.
type assistCampaignsPage struct {
	Campaigns []assist.Campaign
	Sites     []assist.Site
}

func (s *Server) assistCampaigns(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, assist.PermView)
	if err != nil {
		return err
	}
	var p assistCampaignsPage
	if p.Campaigns, err = s.Assist.ListCampaigns(r.Context(), a, a.CommitteeID); err != nil {
		return err
	}
	if p.Sites, err = s.Assist.ListSites(r.Context(), a, a.CommitteeID); err != nil {
		return err
	}
	s.render(w, r, "assist/campaigns.html", p)
	return nil
}
