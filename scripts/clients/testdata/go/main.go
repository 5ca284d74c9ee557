// Command clientcheck calls a running lvzhi through a Go client generated
// from its OpenAPI document by oapi-codegen, and fails when a call does not
// answer 200 or its answer does not decode into the generated types.
// scripts/clients/check.sh generates the client and runs it; it is not part
// of the lvzhi module (testdata is ignored by the go command).
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"

	"clientcheck/client"
)

type result interface {
	StatusCode() int
}

func main() {
	base, token := os.Getenv("LVZHI_BASE")+"/api/v1", os.Getenv("LVZHI_TOKEN")
	auth := func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
	c, err := client.NewClientWithResponses(base, client.WithRequestEditorFn(auth))
	if err != nil {
		fail("client: %v", err)
	}
	ctx := context.Background()
	calls := 0
	check := func(name string, r result, err error, decoded bool) {
		calls++
		if err != nil {
			fail("%s: %v", name, err)
		}
		if r.StatusCode() != http.StatusOK || !decoded {
			fail("%s: status %d, decoded %v", name, r.StatusCode(), decoded)
		}
		fmt.Printf("ok  %s\n", name)
	}

	me, err := c.GetMeWithResponse(ctx)
	check("GET /me", me, err, err == nil && me.JSON200 != nil)
	members, err := c.GetMembersWithResponse(ctx, &client.GetMembersParams{})
	check("GET /members", members, err, err == nil && members.JSON200 != nil && len(members.JSON200.Items) > 0)
	m, err := c.GetMembersByIdWithResponse(ctx, members.JSON200.Items[0].Id)
	check("GET /members/{id}", m, err, err == nil && m.JSON200 != nil)
	units, err := c.GetUnitsWithResponse(ctx, &client.GetUnitsParams{})
	check("GET /units", units, err, err == nil && units.JSON200 != nil)
	sectors, err := c.GetSectorsWithResponse(ctx, &client.GetSectorsParams{})
	check("GET /sectors", sectors, err, err == nil && sectors.JSON200 != nil)
	groups, err := c.GetGroupsWithResponse(ctx, &client.GetGroupsParams{})
	check("GET /groups", groups, err, err == nil && groups.JSON200 != nil)
	terms, err := c.GetTermsWithResponse(ctx, &client.GetTermsParams{})
	check("GET /terms", terms, err, err == nil && terms.JSON200 != nil)
	props, err := c.GetProposalsWithResponse(ctx, &client.GetProposalsParams{})
	check("GET /proposals", props, err, err == nil && props.JSON200 != nil && len(props.JSON200.Items) > 0)
	for _, it := range props.JSON200.Items[:min(5, len(props.JSON200.Items))] {
		p, err := c.GetProposalsByIdWithResponse(ctx, it.Id)
		check(fmt.Sprintf("GET /proposals/%d", it.Id), p, err, err == nil && p.JSON200 != nil)
	}
	figs, err := c.GetFiguresWithResponse(ctx, &client.GetFiguresParams{})
	check("GET /figures", figs, err, err == nil && figs.JSON200 != nil)
	recs, err := c.GetFiguresRecordsWithResponse(ctx, &client.GetFiguresRecordsParams{Figure: "proposals.registered"})
	check("GET /figures/records", recs, err, err == nil && recs.JSON200 != nil)
	league, err := c.GetUnitsLeagueWithResponse(ctx, &client.GetUnitsLeagueParams{})
	check("GET /units/league", league, err, err == nil && league.JSON200 != nil)
	links, err := c.GetLiaisonLinksWithResponse(ctx, &client.GetLiaisonLinksParams{})
	check("GET /liaison/links", links, err, err == nil && links.JSON200 != nil)
	toks, err := c.GetMeTokensWithResponse(ctx)
	check("GET /me/tokens", toks, err, err == nil && toks.JSON200 != nil)
	fmt.Printf("go client: %d calls answered and decoded\n", calls)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAIL "+format+"\n", args...)
	os.Exit(1)
}
