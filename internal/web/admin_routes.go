package web

import (
	"net/http"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
)

// adminRoutes registers the admin pages: users, API tokens and the audit log.
// Every handler checks its action first (admins only); users and tokens of
// other committees are not found.
func (s *Server) adminRoutes() {
	s.handle("GET /admin", s.adminUsers)
	s.handle("GET /admin/users/new", s.adminUserNew)
	s.handle("POST /admin/users", s.adminUserCreate)
	s.handle("GET /admin/users/{id}", s.adminUser)
	s.handle("POST /admin/users/{id}", s.adminUserUpdate)
	s.handle("POST /admin/users/{id}/password", s.adminUserReset)
	s.handle("POST /admin/users/{id}/disable", s.adminUserDisable)
	s.handle("POST /admin/users/{id}/enable", s.adminUserEnable)
	s.handle("POST /admin/users/{id}/tokens", s.adminTokenCreate)
	s.handle("GET /admin/tokens", s.adminTokens)
	s.handle("POST /admin/tokens/{id}/revoke", s.adminTokenRevoke)
	s.handle("GET /admin/audit", s.adminAudit)
	s.handle("POST /admin/audit/verify", s.adminAuditVerify)
}

// adminPathID parses the {id} path value; anything but a positive integer is not found.
func adminPathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

// adminFormID parses an optional id form field: "" or "0" is 0; anything else must be a positive integer.
func adminFormID(r *http.Request, field string, fields *[]apperr.FieldError) int64 {
	v := strings.TrimSpace(r.FormValue(field))
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		*fields = append(*fields, apperr.Field(field, "err.auth.number_invalid"))
		return 0
	}
	return id
}
