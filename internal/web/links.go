package web

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
)

// The one way pages build links to themselves and to their exports: from
// url.Values, encoded once here and handed to templates as template.URL, so
// html/template does not encode the query a second time (a query string
// written after "?" in a template is escaped as one query value: its & and =
// become %26 and %3D, and the filter is lost). Templates never write
// "?{{.Query}}".

// link is path with query q, except its page, and with the pairs of set
// replacing keys (an empty value removes the key).
func link(path string, q url.Values, set ...string) template.URL {
	x := withParams(q, set...)
	if len(x) == 0 {
		return template.URL(path) //nolint:gosec // built from url.Values, encoded by Encode
	}
	return template.URL(path + "?" + x.Encode()) //nolint:gosec // as above
}

// withParams is a copy of q without its page, with the pairs of set
// replacing keys (an empty value removes the key).
func withParams(q url.Values, set ...string) url.Values {
	x := url.Values{}
	for k, v := range q {
		if k != "page" {
			x[k] = slices.Clone(v)
		}
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			x.Del(set[i])
		} else {
			x.Set(set[i], set[i+1])
		}
	}
	return x
}

// pager is what the shared "pager" partial shows: the page number and the
// addresses of the pages before and after it ("" when there is none).
type pager struct {
	Page       int
	Prev, Next template.URL
}

// newPager is the pager of page of the list at path filtered by q.
func newPager(path string, q url.Values, page int, hasNext bool) pager {
	p := pager{Page: page}
	if page > 1 {
		p.Prev = pageLink(path, q, page-1)
	}
	if hasNext {
		p.Next = pageLink(path, q, page+1)
	}
	return p
}

// pageLink is the address of page n of the list at path filtered by q.
func pageLink(path string, q url.Values, n int) template.URL {
	if n <= 1 {
		return link(path, q)
	}
	return link(path, q, "page", strconv.Itoa(n))
}

// perPage is the page size a list asks for with ?per= (up to 200: someone
// reading a long list takes larger pages, the browser test walks a short one
// across several), else def. The pager's links keep it, as every key but page.
func perPage(q url.Values, def int) int {
	if n := queryInt(q, "per"); n > 0 {
		return min(n, 200)
	}
	return def
}
