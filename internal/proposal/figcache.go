package proposal

import (
	"context"
	"maps"
	"strings"
	"sync"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// The figures' aggregate values are kept per process while the shared data
// version (migration 00031, db.DataVersion) is unchanged: the figures page, the
// league table and a unit's portal otherwise spend most of their time
// recomputing them on every view.
//
// What is kept is only what computeDefs and leagueValues return: numbers that
// depend on the filter, the committee path, the definitions, today's date and
// the data, never on the reader (the permission check, figureScope, runs
// before on every view and decides the path) nor on the language (labels are
// added after). The key holds all of them; the version is the cache's, and a
// new version empties it. Every table their SQL reads has a trigger bumping
// the version (TestFigureCacheTablesTriggered).

// figKey is one computation: which one (kind), and everything it reads besides the data.
type figKey struct {
	kind  string // "defs" or "league"
	ff    FigureFilter
	path  string
	defs  string // the definitions' ids, in order
	today civil.Date
}

// figEntry is a kept result.
type figEntry struct {
	got, byClass map[string]int64
	byUnit       map[int64]map[string]int64
}

// maxFigEntries bounds a cache: the pages read a few filters per committee.
const maxFigEntries = 1024

// figCache holds the values of one data version.
type figCache struct {
	mu      sync.Mutex
	version int64
	entries map[figKey]figEntry
}

// get returns the entry of k kept at version v.
func (c *figCache) get(v int64, k figKey) (figEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != v {
		return figEntry{}, false
	}
	e, ok := c.entries[k]
	return e, ok
}

// put keeps e, computed after reading version v. An entry of an older version
// than the cache's is dropped (a newer write is already known); a newer
// version replaces the cache's entries.
func (c *figCache) put(v int64, k figKey, e figEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case v < c.version:
		return
	case v > c.version || c.entries == nil || len(c.entries) >= maxFigEntries:
		if v > c.version {
			c.version = v
		}
		c.entries = map[figKey]figEntry{}
	}
	c.entries[k] = e
}

// figCacheOf returns the service's cache, made on first use.
func (s *Service) figCacheOf() *figCache {
	s.figOnce.Do(func() { s.figs = &figCache{} })
	return s.figs
}

func defIDs(defs []FigureDef) string {
	ids := make([]string, len(defs))
	for i, d := range defs {
		ids[i] = d.ID
	}
	return strings.Join(ids, ",")
}

// cachedDefs is computeDefs through the cache. The maps returned are the
// caller's to change.
func (s *Service) cachedDefs(ctx context.Context, ff FigureFilter, path string, defs []FigureDef, today civil.Date) (got, byClass map[string]int64, err error) {
	if s.NoFigureCache {
		return s.computeDefs(ctx, ff, path, defs, today)
	}
	v, err := db.DataVersion(ctx, s.DB) // before computing: see DataVersion
	if err != nil {
		return nil, nil, err
	}
	k := figKey{kind: "defs", ff: ff, path: path, defs: defIDs(defs), today: today}
	c := s.figCacheOf()
	if e, ok := c.get(v, k); ok {
		return maps.Clone(e.got), maps.Clone(e.byClass), nil
	}
	if got, byClass, err = s.computeDefs(ctx, ff, path, defs, today); err != nil {
		return nil, nil, err
	}
	c.put(v, k, figEntry{got: maps.Clone(got), byClass: maps.Clone(byClass)})
	return got, byClass, nil
}

// cachedLeague is leagueValues through the cache.
func (s *Service) cachedLeague(ctx context.Context, ff FigureFilter, path string, defs []FigureDef) (map[int64]map[string]int64, error) {
	today := s.today()
	if s.NoFigureCache {
		return s.leagueValues(ctx, ff, path, defs, today)
	}
	v, err := db.DataVersion(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	k := figKey{kind: "league", ff: ff, path: path, defs: defIDs(defs), today: today}
	c := s.figCacheOf()
	if e, ok := c.get(v, k); ok {
		return cloneByUnit(e.byUnit), nil
	}
	byUnit, err := s.leagueValues(ctx, ff, path, defs, today)
	if err != nil {
		return nil, err
	}
	c.put(v, k, figEntry{byUnit: cloneByUnit(byUnit)})
	return byUnit, nil
}

func cloneByUnit(m map[int64]map[string]int64) map[int64]map[string]int64 {
	out := make(map[int64]map[string]int64, len(m))
	for u, vs := range m {
		out[u] = maps.Clone(vs)
	}
	return out
}
