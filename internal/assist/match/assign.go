package match

import (
	"cmp"
	"container/heap"
	"slices"
)

// Assign returns the assignment of needs to members that maximises the total
// fit: each need to at most one member, each member at most Capacity needs,
// only plausible pairs (Score). It is exact, not greedy: a min-cost flow
// (source → member, capacity Capacity; member → need, cost −score; need →
// sink, capacity 1) solved by successive shortest paths with Dijkstra on
// reduced costs (primal-dual, a blocking flow per phase), augmenting while a
// path still adds fit. Path costs never
// decrease, so stopping at the first path that adds nothing leaves the
// maximum-weight assignment (not necessarily the one with most needs).
func Assign(offers []Offer, needs []Need) []Fit {
	return AssignPairs(offers, needs, Pairs(offers, needs))
}

// AssignPairs is Assign over given plausible pairs (for callers that limit
// them). Members and needs no pair connects cannot affect each other, so the
// flow is solved per connected component (a province's counties, whose
// members reach only their own townships, are separate problems): the union
// of each part's optimum is the optimum.
func AssignPairs(offers []Offer, needs []Need, pairs []Fit) []Fit {
	var out []Fit
	for _, c := range components(offers, needs, pairs) {
		g := newGraph(c.offers, c.needs, c.pairs)
		g.solve()
		for _, e := range g.pairEdges {
			if g.edges[e.edge].cap == 0 { // saturated: assigned
				out = append(out, e.fit)
			}
		}
	}
	slices.SortFunc(out, func(a, b Fit) int { return cmp.Compare(a.NeedID, b.NeedID) })
	return out
}

// component is one connected part of the pair graph.
type component struct {
	offers []Offer
	needs  []Need
	pairs  []Fit
}

// components splits the pairs into connected parts (union-find over members
// and needs), each with its members; a need without pairs is in none.
func components(offers []Offer, needs []Need, pairs []Fit) []component {
	parent := map[int64]int64{} // members by id, needs by ^id (never ≥ 0)
	var find func(x int64) int64
	find = func(x int64) int64 {
		p, ok := parent[x]
		if !ok || p == x {
			parent[x] = x
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	for _, p := range pairs {
		a, b := find(p.MemberID), find(^p.NeedID)
		if a != b {
			parent[a] = b
		}
	}
	index := map[int64]int{}
	var out []component
	at := func(root int64) *component {
		i, ok := index[root]
		if !ok {
			i = len(out)
			index[root] = i
			out = append(out, component{})
		}
		return &out[i]
	}
	for _, p := range pairs {
		c := at(find(p.MemberID))
		c.pairs = append(c.pairs, p)
	}
	for _, o := range offers {
		if _, ok := parent[o.MemberID]; ok {
			c := at(find(o.MemberID))
			c.offers = append(c.offers, o)
		}
	}
	for _, n := range needs {
		if _, ok := parent[^n.ID]; ok {
			c := at(find(^n.ID))
			c.needs = append(c.needs, n)
		}
	}
	return out
}

type edge struct {
	to, rev int
	cap     int
	cost    int
}

type pairEdge struct {
	edge int // index in edges of the member → need edge
	fit  Fit
}

type graph struct {
	n, s, t   int
	adj       [][]int // node → edge indices
	edges     []edge
	pairEdges []pairEdge

	h       []int // potentials
	it      []int // current arc per node, for the phase
	dead    []bool
	onStack []bool
}

// Nodes: 0 source, 1 sink, 2… members, then needs.
func newGraph(offers []Offer, needs []Need, pairs []Fit) *graph {
	g := &graph{n: 2 + len(offers) + len(needs), s: 0, t: 1}
	g.adj = make([][]int, g.n)
	member := make(map[int64]int, len(offers))
	for i, o := range offers {
		member[o.MemberID] = 2 + i
		if o.Capacity > 0 {
			g.add(g.s, 2+i, o.Capacity, 0)
		}
	}
	need := make(map[int64]int, len(needs))
	for i, n := range needs {
		need[n.ID] = 2 + len(offers) + i
		g.add(2+len(offers)+i, g.t, 1, 0)
	}
	for _, p := range pairs {
		u, ok1 := member[p.MemberID]
		v, ok2 := need[p.NeedID]
		if !ok1 || !ok2 || p.Score <= 0 {
			continue
		}
		g.pairEdges = append(g.pairEdges, pairEdge{edge: len(g.edges), fit: p})
		g.add(u, v, 1, -p.Score)
	}
	return g
}

func (g *graph) add(u, v, c, cost int) {
	g.adj[u] = append(g.adj[u], len(g.edges))
	g.edges = append(g.edges, edge{to: v, rev: len(g.edges) + 1, cap: c, cost: cost})
	g.adj[v] = append(g.adj[v], len(g.edges))
	g.edges = append(g.edges, edge{to: u, rev: len(g.edges) - 1, cap: 0, cost: -cost})
}

const inf = int(^uint(0) >> 2)

// solve runs the primal-dual method: each phase computes shortest distances
// with Dijkstra on reduced costs, moves the potentials, and while the
// shortest path still adds fit, augments a blocking flow along the paths of
// reduced cost zero (every one of them a shortest path). Few phases are needed,
// as path costs take few distinct values.
func (g *graph) solve() {
	h := g.initialPotentials()
	dist := make([]int, g.n)
	g.it = make([]int, g.n)
	g.dead = make([]bool, g.n)
	g.onStack = make([]bool, g.n)
	g.h = h
	for {
		for i := range dist {
			dist[i] = inf
		}
		dist[g.s] = 0
		pq := &nodeHeap{{g.s, 0}}
		far := 0
		for pq.Len() > 0 {
			it := heap.Pop(pq).(item)
			u := it.node
			if it.dist > dist[u] {
				continue
			}
			far = max(far, it.dist)
			for _, ei := range g.adj[u] {
				e := g.edges[ei]
				if e.cap == 0 {
					continue
				}
				if nd := dist[u] + e.cost + h[u] - h[e.to]; nd < dist[e.to] {
					dist[e.to] = nd
					heap.Push(pq, item{e.to, nd})
				}
			}
		}
		if dist[g.t] == inf {
			return
		}
		for v := range h {
			if dist[v] == inf {
				h[v] += far // no smaller than any reachable distance: reduced costs stay non-negative
			} else {
				h[v] += dist[v]
			}
		}
		if h[g.t]-h[g.s] >= 0 { // the cheapest path adds no fit: optimum reached
			return
		}
		clear(g.it)
		clear(g.dead)
		for g.augment(g.s) {
		}
	}
}

// augment finds one path of zero reduced cost from u to the sink by depth-first
// search (current-arc pointers, dead ends remembered for the phase) and pushes
// one unit along it. A path missed because of a stale mark is found by the
// next phase at the same cost, so the result stays exact.
func (g *graph) augment(u int) bool {
	if u == g.t {
		return true
	}
	g.onStack[u] = true
	defer func() { g.onStack[u] = false }()
	for ; g.it[u] < len(g.adj[u]); g.it[u]++ {
		ei := g.adj[u][g.it[u]]
		e := g.edges[ei]
		if e.cap == 0 || g.dead[e.to] || g.onStack[e.to] || e.cost+g.h[u]-g.h[e.to] != 0 {
			continue
		}
		if g.augment(e.to) {
			g.edges[ei].cap--
			g.edges[e.rev].cap++
			return true
		}
	}
	g.dead[u] = true
	return false
}

// initialPotentials are the shortest distances from the source in the
// initial graph (a DAG: source → members → needs → sink), so that every
// reduced cost starts non-negative although pair costs are negative.
func (g *graph) initialPotentials() []int {
	h := make([]int, g.n)
	for v := range h {
		h[v] = inf
	}
	h[g.s] = 0
	for _, ei := range g.adj[g.s] {
		if e := g.edges[ei]; e.cap > 0 {
			h[e.to] = 0
		}
	}
	for _, pe := range g.pairEdges {
		e := g.edges[pe.edge]
		from := g.edges[e.rev].to
		if h[from] != inf && h[from]+e.cost < h[e.to] {
			h[e.to] = h[from] + e.cost
		}
	}
	for v := 2; v < g.n; v++ {
		if h[v] == inf {
			continue
		}
		for _, ei := range g.adj[v] {
			if e := g.edges[ei]; e.to == g.t && e.cap > 0 && h[v] < h[g.t] {
				h[g.t] = h[v]
			}
		}
	}
	for v := range h {
		if h[v] == inf { // unreachable: any value no smaller than the reachable ones keeps reduced costs non-negative
			h[v] = 0
		}
	}
	if h[g.t] == inf {
		h[g.t] = 0
	}
	return h
}

type item struct{ node, dist int }

type nodeHeap []item

func (q nodeHeap) Len() int           { return len(q) }
func (q nodeHeap) Less(i, j int) bool { return q[i].dist < q[j].dist }
func (q nodeHeap) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *nodeHeap) Push(x any)        { *q = append(*q, x.(item)) }
func (q *nodeHeap) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
