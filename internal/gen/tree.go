package gen

import (
	"fmt"
	"math/rand/v2"
)

// level is a committee level; the order matters (a sector's minimum level).
type level int

const (
	lvlCounty level = iota
	lvlPrefecture
	lvlProvince
	lvlNational
)

// code is the value stored in committees.level.
func (l level) code() string {
	return [...]string{"county", "prefecture", "province", "national"}[l]
}

// node is one committee of the generated tree, with what its children need
// from it once it has been generated (ids of its term, sectors and groups).
type node struct {
	idx      int // position in pre-order: seeds the committee's own random stream
	lvl      level
	parent   *node
	children []*node
	place    string // "云南省", "青川市", "富岭县"; "" for the national committee
	name     string
	code     string // region-style code, unique
	members  int    // members generated directly (cross-level duplicates come on top)
	termNo   int

	// Filled in while generating.
	id        int64
	path      string
	termID    int64
	termStart string
	sectorIDs map[string]int64
	groupIDs  []int64      // member groups, then special committees
	created   int          // rows of memberships actually created
	session   *proposalCtx // the current year's session, for proposals
}

// Nation-scale sizes (DOMAIN.md §7).
const (
	nationProvinces   = 31
	nationPrefectures = 333
	nationCounties    = 2840
	provincePrefs     = 16
	provinceCounties  = 130
)

// buildTree lays out the committees of a scale in pre-order, parents before children.
func buildTree(o *Options) []*node {
	r := rand.New(rand.NewPCG(o.Seed, 0))
	var root *node
	switch o.Scale {
	case Nation:
		root = &node{lvl: lvlNational, name: "全国政协", code: "000000", members: 2170, termNo: 13}
		prefs := spread(r, nationPrefectures, nationProvinces)
		counties := spread(r, nationCounties, nationPrefectures)
		k := 0
		for i, p := range provinces {
			pn := provinceNode(r, p)
			root.children = append(root.children, pn)
			addPrefectures(r, pn, counties[k:k+prefs[i]])
			k += prefs[i]
		}
	case Province:
		root = provinceNode(r, provinces[24]) // 云南省
		addPrefectures(r, root, spread(r, provinceCounties, provincePrefs))
	default:
		place := o.CountyName
		if place == "" {
			place = placeName(r, map[string]bool{}) + "县"
		}
		code := o.CountyCode
		if code == "" {
			code = "539901"
		}
		members := o.CountyMembers
		if members == 0 {
			members = 290 + r.IntN(21)
		}
		root = &node{lvl: lvlCounty, place: place, name: place + "政协", code: code, members: members, termNo: 9}
	}
	var out []*node
	var walk func(n *node)
	walk = func(n *node) {
		n.idx = len(out)
		out = append(out, n)
		for _, c := range n.children {
			c.parent = n
			walk(c)
		}
	}
	walk(root)
	return out
}

func provinceNode(r *rand.Rand, p province) *node {
	return &node{lvl: lvlProvince, place: p.name, name: p.name + "政协", code: p.code + "0000",
		members: 680 + r.IntN(41), termNo: 12}
}

// addPrefectures adds len(counties) prefectures under pn, the i-th with counties[i] counties.
func addPrefectures(r *rand.Rand, pn *node, counties []int) {
	used := map[string]bool{}
	pc := pn.code[:2]
	for i, nc := range counties {
		place := placeName(r, used) + "市"
		pref := &node{lvl: lvlPrefecture, place: place, name: place + "政协",
			code: fmt.Sprintf("%s%02d00", pc, i+1), members: 340 + r.IntN(41), termNo: 4 + r.IntN(5)}
		pn.children = append(pn.children, pref)
		for j := range nc {
			cp := placeName(r, used) + "县"
			pref.children = append(pref.children, &node{lvl: lvlCounty, place: cp, name: cp + "政协",
				code: fmt.Sprintf("%s%02d%02d", pc, i+1, j+1), members: 150 + r.IntN(51), termNo: 8 + r.IntN(4)})
		}
	}
}

// spread divides total into n parts of nearly equal size, the larger parts at random places.
func spread(r *rand.Rand, total, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = total / n
	}
	for _, i := range r.Perm(n)[:total%n] {
		out[i]++
	}
	return out
}
