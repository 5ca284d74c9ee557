package main

import (
	"slices"
	"testing"

	"lvzhi/internal/proposal"
)

// TestServeSearchesWords: the binary's packages segment Chinese with gse's
// dictionary. The proposal package reaches the dictionary text by name
// (segment.go); if gse were not linked into the binary, that name would be an
// empty string and every search and refresh would fail. The tests of the
// proposal package import gse themselves, so only a test of main sees this.
func TestServeSearchesWords(t *testing.T) {
	words, err := proposal.QueryWords("关于加强农村义务教育的建议", 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(words, "义务教育") || !slices.Contains(words, "农村") {
		t.Fatalf("words %q", words)
	}
}
